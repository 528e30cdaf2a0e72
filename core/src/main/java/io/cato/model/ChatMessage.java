package io.cato.model;

import java.util.List;

/**
 * One message of a chat as the model sees it.
 *
 * @param images images in a user message
 * @param toolCalls the tool calls of an assistant message
 * @param toolCallId for a {@link Role#TOOL} message, the call it answers
 * @param toolError for a {@link Role#TOOL} message, whether the tool failed
 */
public record ChatMessage(Role role, String content, List<ImageInput> images, List<ToolCall> toolCalls,
                          String toolCallId, boolean toolError) {

    /** {@code TOOL} is a tool's result, sent back by the caller after the model's tool call. */
    public enum Role { SYSTEM, USER, ASSISTANT, TOOL }

    public ChatMessage {
        content = content == null ? "" : content;
        images = List.copyOf(images);
        toolCalls = List.copyOf(toolCalls);
    }

    public ChatMessage(Role role, String content) {
        this(role, content, List.of(), List.of(), null, false);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage(Role.USER, content);
    }

    public static ChatMessage user(String content, List<ImageInput> images) {
        return new ChatMessage(Role.USER, content, images, List.of(), null, false);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage(Role.ASSISTANT, content);
    }

    public static ChatMessage assistant(String content, List<ToolCall> toolCalls) {
        return new ChatMessage(Role.ASSISTANT, content, List.of(), toolCalls, null, false);
    }

    public static ChatMessage system(String content) {
        return new ChatMessage(Role.SYSTEM, content);
    }

    public static ChatMessage toolResult(String toolCallId, String content, boolean error) {
        return new ChatMessage(Role.TOOL, content, List.of(), List.of(), toolCallId, error);
    }

    /** Whether the message carries more than text: images, tool calls or a tool result. */
    public boolean structured() {
        return !images.isEmpty() || !toolCalls.isEmpty() || role == Role.TOOL;
    }

    /**
     * The message for a tier that takes no tools (a session's earlier tool turns replayed to it): tool calls and
     * results written out as text in an assistant or user message; other messages unchanged.
     */
    public ChatMessage asPlainText() {
        if (role == Role.TOOL) {
            return user("[result of tool call " + toolCallId + (toolError ? ", an error" : "") + "] " + content);
        }
        if (toolCalls.isEmpty()) {
            return this;
        }
        StringBuilder text = new StringBuilder(content);
        toolCalls.forEach(call -> text.append(text.isEmpty() ? "" : "\n").append("[tool call ").append(call.id())
                .append(": ").append(call.name()).append(' ').append(call.argumentsJson()).append(']'));
        return new ChatMessage(Role.ASSISTANT, text.toString(), images, List.of(), null, false);
    }

    /** The same message without its images (sessions keep text, not image bytes). */
    public ChatMessage withoutImages() {
        return images.isEmpty() ? this : new ChatMessage(role, content, List.of(), toolCalls, toolCallId, toolError);
    }
}
