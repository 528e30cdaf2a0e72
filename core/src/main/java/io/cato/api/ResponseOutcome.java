package io.cato.api;

/**
 * Whether a response, once its body has been written, may be replayed to a retry of the same request (an
 * Idempotency-Key repeat). Only a whole, real answer may: a stream that broke off, or an answer the memory tier gave
 * in place of a model during an outage, is not kept, so a retry is served afresh. A streamed body decides while it is
 * being written, which is why this is a holder and not a flag fixed when the response is made.
 */
public final class ResponseOutcome {
    private volatile boolean replayable;

    private ResponseOutcome(boolean replayable) {
        this.replayable = replayable;
    }

    public static ResponseOutcome replayable() {
        return new ResponseOutcome(true);
    }

    public static ResponseOutcome notReplayable() {
        return new ResponseOutcome(false);
    }

    /** Called by a body writer whose answer turned out incomplete or degraded. */
    public void keepFromReplay() {
        replayable = false;
    }

    public boolean isReplayable() {
        return replayable;
    }
}
