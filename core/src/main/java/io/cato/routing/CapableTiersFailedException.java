package io.cato.routing;

/**
 * Every tier able to answer a request that needs tools, images or structured output failed. The memory tier
 * cannot stand in (it would answer without what the request needs), so the caller gets an error to retry.
 */
public final class CapableTiersFailedException extends RuntimeException {
    public CapableTiersFailedException(String lastReason) {
        super("no tier able to answer this request answered (last: " + lastReason + ")");
    }
}
