package io.cato.model;

import java.util.function.Consumer;

/**
 * One model tier. Implementations turn every provider failure into a {@link ModelCallException}
 * carrying a {@link ModelFailure}; they never let a provider-specific exception escape.
 */
public interface ModelClient {

    ModelReply complete(ModelRequest request);

    /**
     * Streams the answer as text deltas. Until the first delta is passed on, a failure may be
     * retried elsewhere; after it, the caller ends the stream with an error.
     */
    default ModelReply stream(ModelRequest request, Consumer<String> onDelta) {
        ModelReply reply = complete(request);
        onDelta.accept(reply.text());
        return reply;
    }
}
