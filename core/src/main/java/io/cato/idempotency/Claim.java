package io.cato.idempotency;

/** What claiming an idempotency key found. */
public sealed interface Claim {

    /** The key was free (or expired): this request does the work and must complete or release it. */
    record Acquired() implements Claim { }

    /** An earlier request with this key finished: replay its response. */
    record Completed(StoredResponse response) implements Claim { }

    /** An earlier request with this key is still being served. */
    record InProgress() implements Claim { }

    /** The key was used before with a different request body. */
    record PayloadMismatch() implements Claim { }
}
