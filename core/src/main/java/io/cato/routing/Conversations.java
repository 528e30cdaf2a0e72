package io.cato.routing;

import io.cato.session.SessionStore;
import io.cato.session.TurnDraft;
import io.cato.verification.VerificationStarter;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the conversation a question belongs to and records each answer in it. Recording happens after the answer
 * was given and outside the fallback chain: a store that fails then costs the conversation its turn, never the
 * caller the answer a tier was already paid for.
 */
public final class Conversations {
    private static final Logger LOG = LoggerFactory.getLogger(Conversations.class);

    private final SessionStore sessions;
    private final Optional<VerificationStarter> verification;
    private final Clock clock;
    private final int maxTurnsRead;
    private final int maxQueryBytes;

    /** @param maxQueryBytes the largest question a session keeps: its store bounds each turn's size */
    public Conversations(SessionStore sessions, Optional<VerificationStarter> verification, Clock clock,
                         int maxTurnsRead, int maxQueryBytes) {
        this.sessions = sessions;
        this.verification = verification;
        this.clock = clock;
        this.maxTurnsRead = maxTurnsRead;
        this.maxQueryBytes = maxQueryBytes;
    }

    /**
     * The conversation before the question; the store's failures surface here, before any answer starts, and so
     * does a question too large for its session to keep.
     *
     * @throws QueryTooLargeException when the question is to be recorded and exceeds the limit
     */
    public Conversation read(QueryCommand command) {
        if (command.session().isPresent()) {
            int bytes = command.query().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes > maxQueryBytes) {
                throw new QueryTooLargeException(bytes, maxQueryBytes);
            }
        }
        if (command.readsStoredTurns()) {
            return new Conversation(sessions.latest(command.session().orElseThrow().storageKey(), maxTurnsRead),
                    java.util.List.of());
        }
        return new Conversation(java.util.List.of(), command.history());
    }

    /**
     * Appends the answered turn to the question's session and starts its verification.
     *
     * @param exchange the exchange's messages when tools were involved, replayed with the turn; empty otherwise
     * @param verify whether the answer is one a verifier should judge (a model's, not the memory tier's or a cached one)
     */
    public Answer.Recording record(QueryCommand command, String answer, String model,
                                   java.util.List<io.cato.model.ChatMessage> exchange, boolean verify) {
        if (command.session().isEmpty()) {
            return verification.isEmpty() ? new Answer.Recording(0, true, Answer.Recording.NOT_CONFIGURED)
                    : Answer.Recording.STATELESS;
        }
        String session = command.session().get().storageKey();
        String domain = command.domain().orElse(Orchestrator.DEFAULT_DOMAIN);
        long turn;
        try {
            turn = sessions.append(session, new TurnDraft(command.query(), answer, model, clock.instant(), domain,
                    exchange)).seq();
        } catch (RuntimeException e) {
            LOG.atWarn().log(() -> "answer given but its turn was not recorded: " + e.getClass().getSimpleName());
            return Answer.Recording.FAILED;
        }
        if (!verify) {
            return new Answer.Recording(turn, true, Answer.Recording.SKIPPED);
        }
        if (verification.isEmpty()) {
            return new Answer.Recording(turn, true, Answer.Recording.NOT_CONFIGURED);
        }
        try {
            verification.get().start(new VerificationStarter.Request(session, turn, command.tenant(), domain,
                    command.query(), answer));
            return new Answer.Recording(turn, true, Answer.Recording.PENDING);
        } catch (RuntimeException e) {
            LOG.atWarn().log(() -> "verification not started: " + e.getClass().getSimpleName());
            return new Answer.Recording(turn, true, Answer.Recording.UNAVAILABLE);
        }
    }
}
