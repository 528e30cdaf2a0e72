package io.cato.routing;

/** A tier failed after part of its answer had already been streamed to the caller. */
public class StreamInterruptedException extends RuntimeException {
    private final String tier;

    public StreamInterruptedException(String tier, Throwable cause) {
        super("the answer from " + tier + " broke off", cause);
        this.tier = tier;
    }

    public String tier() {
        return tier;
    }
}
