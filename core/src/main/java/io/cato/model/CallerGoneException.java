package io.cato.model;

/**
 * The caller of a streamed answer went away (closed its connection) while the answer was being written. Thrown by
 * the sink deltas are written to, it unwinds the tier's call, which cancels the upstream request: it is neither the
 * tier's failure nor a reason to try another tier.
 */
public final class CallerGoneException extends RuntimeException {
    public CallerGoneException(Throwable cause) {
        super("the caller went away", cause);
    }
}
