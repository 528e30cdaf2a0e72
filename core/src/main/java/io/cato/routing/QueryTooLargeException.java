package io.cato.routing;

/**
 * A question too large for its session to keep: rejected before any model is called. Stateless requests are not
 * recorded and are bounded only by the request body limit.
 */
public final class QueryTooLargeException extends RuntimeException {
    private final int bytes;
    private final int limit;

    public QueryTooLargeException(int bytes, int limit) {
        super("the question is " + bytes + " bytes; a session keeps questions of at most " + limit + " bytes");
        this.bytes = bytes;
        this.limit = limit;
    }

    public int bytes() {
        return bytes;
    }

    public int limit() {
        return limit;
    }
}
