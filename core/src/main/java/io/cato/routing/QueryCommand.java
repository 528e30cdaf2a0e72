package io.cato.routing;

import io.cato.budget.Caller;
import io.cato.model.ChatMessage;
import io.cato.model.GenerationOptions;
import io.cato.session.SessionKey;
import java.util.List;
import java.util.Optional;

/**
 * One query to answer, as both APIs describe it.
 *
 * @param session the conversation to read and extend; empty for a stateless request
 * @param history messages the client sent itself (OpenAI clients keep their own history);
 *     used instead of the stored turns when not empty
 * @param model the model the caller asked for: a tier's name pins that tier; empty or an automatic-routing name
 *     ("auto") lets the router choose
 * @param options tools, structured output, images and tool results of the current exchange, sampling settings
 * @param caller who asks, as limits count it: the tenant, its API key and its end user
 */
public record QueryCommand(String tenant, Optional<SessionKey> session, String query, Optional<String> domain,
                           Optional<String> system, List<ChatMessage> history, Optional<Integer> maxTokens,
                           Optional<Double> temperature, Optional<String> model, GenerationOptions options,
                           Caller caller) {

    public QueryCommand {
        history = List.copyOf(history);
        options = options == null ? GenerationOptions.NONE : options;
        caller = caller == null ? Caller.of(tenant) : caller;
        if (!caller.tenant().equals(tenant)) {
            throw new IllegalArgumentException("the caller's tenant must be the query's tenant");
        }
    }

    /** A query whose caller is known by its tenant only. */
    public QueryCommand(String tenant, Optional<SessionKey> session, String query, Optional<String> domain,
                        Optional<String> system, List<ChatMessage> history, Optional<Integer> maxTokens,
                        Optional<Double> temperature, Optional<String> model, GenerationOptions options) {
        this(tenant, session, query, domain, system, history, maxTokens, temperature, model, options, Caller.of(tenant));
    }

    public QueryCommand(String tenant, Optional<SessionKey> session, String query, Optional<String> domain,
                        Optional<String> system, List<ChatMessage> history, Optional<Integer> maxTokens,
                        Optional<Double> temperature, Optional<String> model) {
        this(tenant, session, query, domain, system, history, maxTokens, temperature, model, GenerationOptions.NONE);
    }

    /** A query without a requested model: the router chooses. */
    public QueryCommand(String tenant, Optional<SessionKey> session, String query, Optional<String> domain,
                        Optional<String> system, List<ChatMessage> history, Optional<Integer> maxTokens,
                        Optional<Double> temperature) {
        this(tenant, session, query, domain, system, history, maxTokens, temperature, Optional.empty());
    }

    public static QueryCommand simple(String tenant, SessionKey session, String query) {
        return new QueryCommand(tenant, Optional.of(session), query, Optional.empty(), Optional.empty(), List.of(),
                Optional.empty(), Optional.empty());
    }

    /** The same query, asked by {@code value} (the API key and end user the edge knows of). */
    public QueryCommand withCaller(Caller value) {
        return new QueryCommand(tenant, session, query, domain, system, history, maxTokens, temperature, model, options,
                value);
    }

    /** Whether the answer may be shared through the semantic cache; see {@link GenerationOptions#mayShareAnswer}. */
    public boolean mayShareAnswer() {
        return options.mayShareAnswer();
    }

    /** The options that change a shareable answer; see {@link GenerationOptions#scopeDigestPart}. */
    public String scopeDigestPart() {
        return options.scopeDigestPart();
    }

    /**
     * The system prompt as the cache scope sees it: with the options that change the answer appended, so an answer
     * in one response format is never served for another.
     */
    public String cacheScopeSystem() {
        String digest = scopeDigestPart();
        return digest.isEmpty() ? system.orElse(null) : system.orElse("") + "\u0000options:" + digest;
    }

    /**
     * Whether the answer reads the session's stored turns: a session is given and the client sent no conversation
     * of its own, neither history before its question nor the model's earlier answers after it (a client replaying
     * a tool call with its result carries the conversation itself).
     */
    public boolean readsStoredTurns() {
        return session.isPresent() && history.isEmpty()
                && options.exchange().stream().noneMatch(m -> m.role() == ChatMessage.Role.ASSISTANT);
    }

    /** The same query without a session: answered with the same context, recorded nowhere. */
    public QueryCommand withoutSession() {
        return new QueryCommand(tenant, Optional.empty(), query, domain, system, history, maxTokens, temperature, model,
                options, caller);
    }
}
