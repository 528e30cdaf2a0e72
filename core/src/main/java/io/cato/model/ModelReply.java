package io.cato.model;

import java.util.List;

/**
 * A tier's answer; {@code model} is the id the provider says answered.
 *
 * @param toolCalls the tools the model asks the caller to run; then {@code finishReason} is {@link FinishReason#TOOL_CALLS}
 */
public record ModelReply(String text, String model, TokenUsage usage, List<ToolCall> toolCalls,
                         FinishReason finishReason) {

    public ModelReply {
        toolCalls = List.copyOf(toolCalls);
    }

    /** A text answer that ended naturally. */
    public ModelReply(String text, String model, TokenUsage usage) {
        this(text, model, usage, List.of(), FinishReason.STOP);
    }

    public ModelReply withText(String value) {
        return new ModelReply(value, model, usage, toolCalls, finishReason);
    }
}
