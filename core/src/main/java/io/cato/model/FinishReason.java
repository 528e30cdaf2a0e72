package io.cato.model;

/** Why a model stopped producing its answer, mapped from each provider's own vocabulary. */
public enum FinishReason {
    /** A natural end, or a stop sequence. */
    STOP,
    /** The answer reached its token limit and is cut short. */
    LENGTH,
    /** The model asks for tool calls; the caller runs them and sends the results. */
    TOOL_CALLS,
    /** A content filter or guardrail ended the answer. */
    CONTENT_FILTER;

    /** OpenAI's {@code finish_reason}. */
    public String openAi() {
        return switch (this) {
            case STOP -> "stop";
            case LENGTH -> "length";
            case TOOL_CALLS -> "tool_calls";
            case CONTENT_FILTER -> "content_filter";
        };
    }

    public static FinishReason fromOpenAi(String value) {
        return switch (value == null ? "" : value) {
            case "length" -> LENGTH;
            case "tool_calls", "function_call" -> TOOL_CALLS;
            case "content_filter" -> CONTENT_FILTER;
            default -> STOP;
        };
    }
}
