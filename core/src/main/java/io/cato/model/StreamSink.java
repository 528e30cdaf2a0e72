package io.cato.model;

import java.util.function.Consumer;

/**
 * Where a streamed answer goes: text deltas through {@link #accept}, tool-call pieces through {@link #toolCall}.
 * It is a {@code Consumer<String>} so that every layer passing text deltas on keeps working; a layer that wraps a
 * sink passes tool calls on with {@link #toolCall(Consumer, ToolCallDelta)}.
 */
public interface StreamSink extends Consumer<String> {

    void toolCall(ToolCallDelta delta);

    /** Passes a tool-call piece to {@code target} when it takes them; a text-only consumer never sees tool calls. */
    static void toolCall(Consumer<String> target, ToolCallDelta delta) {
        if (target instanceof StreamSink sink) {
            sink.toolCall(delta);
        }
    }

    /** A sink that calls {@code onAny} before passing anything on to {@code target}. */
    static StreamSink watching(Consumer<String> target, Runnable onAny) {
        return new StreamSink() {
            @Override
            public void accept(String text) {
                onAny.run();
                target.accept(text);
            }

            @Override
            public void toolCall(ToolCallDelta delta) {
                onAny.run();
                StreamSink.toolCall(target, delta);
            }
        };
    }
}
