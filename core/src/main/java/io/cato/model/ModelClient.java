package io.cato.model;

import java.util.function.Consumer;

/**
 * One model tier. Implementations turn every provider failure into a {@link ModelCallException}
 * carrying a {@link ModelFailure}; they never let a provider-specific exception escape.
 */
public interface ModelClient {

    ModelReply complete(ModelRequest request);

    /**
     * Streams the answer as text deltas, and tool calls in pieces when {@code onDelta} is a {@link StreamSink}. Until the first delta is passed on, a failure may be
     * retried elsewhere; after it, the caller ends the stream with an error.
     */
    default ModelReply stream(ModelRequest request, Consumer<String> onDelta) {
        ModelReply reply = complete(request);
        if (!reply.text().isEmpty() || reply.toolCalls().isEmpty()) {
            onDelta.accept(reply.text());
        }
        for (int i = 0; i < reply.toolCalls().size(); i++) {
            ToolCall call = reply.toolCalls().get(i);
            StreamSink.toolCall(onDelta, ToolCallDelta.start(i, call.id(), call.name()));
            StreamSink.toolCall(onDelta, ToolCallDelta.arguments(i, call.argumentsJson()));
        }
        return reply;
    }
}
