package io.cato.model;

/**
 * A function the model asked the caller to run.
 *
 * @param id the call's id, echoed by the tool result that answers it
 * @param argumentsJson the arguments as a JSON text (OpenAI's form; Converse's {@code input} object, written out)
 */
public record ToolCall(String id, String name, String argumentsJson) {
}
