package io.cato.idempotency;

import java.time.Duration;

/**
 * Records which requests were served, so a repeat never calls a model twice.
 *
 * <p>A claim is atomic: of many concurrent claims on one key exactly one is {@link Claim.Acquired}.
 * Implementations throw {@link io.cato.dependency.DependencyUnavailableException} when their store is down.
 */
public interface IdempotencyStore {

    /**
     * @param payloadHash identifies the request body; a repeat with another body is a mismatch
     * @param inProgressFor how long an unfinished claim blocks the key (a crashed request's
     *     claim lapses after it)
     */
    Claim claim(String key, String payloadHash, Duration inProgressFor);

    void complete(String key, String payloadHash, StoredResponse response);

    /** Gives the key up after a failure, so the client's retry is served afresh. */
    void release(String key, String payloadHash);
}
