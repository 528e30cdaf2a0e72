package io.cato.session;

import java.util.List;

/**
 * Working memory: the turns of each conversation, in order.
 *
 * <p>Implementations must not lose or reorder a turn when several requests append to one
 * session at once, and throw {@link io.cato.dependency.DependencyUnavailableException} when the
 * backing store cannot be reached (never a half-written turn).
 */
public interface SessionStore {

    /** The last {@code limit} turns of the session, oldest first; empty for an unknown session. */
    List<Turn> latest(String sessionKey, int limit);

    /** Appends a turn after every turn already stored and returns it with its sequence number. */
    Turn append(String sessionKey, TurnDraft draft);

    /**
     * Stores the verification verdict on an existing turn, replacing an earlier verdict; touches
     * nothing else of the turn. False when the turn does not exist (expired, or never written).
     */
    boolean recordVerdict(String sessionKey, long seq, Verdict verdict);
}
