package io.cato.api;

import io.cato.model.ChatMessage;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A request's messages cut the way the answer path takes them: the history before the last user message, the
 * question's text, and the current exchange (from the last user message on) when it holds more than that text:
 * images, or the model's tool calls and the caller's tool results that follow the question.
 *
 * @param query the last user message's text; for a request that sends only tool results (a session continuing
 *     after a tool call) the results' text, which stands for the question in logs and the session
 */
record Conversation(Optional<String> system, List<ChatMessage> history, String query, List<ChatMessage> exchange) {

    /** @param messages the request's messages without system messages, ending with a user or tool message */
    static Conversation of(Optional<String> system, List<ChatMessage> messages, String firstField) {
        if (messages.isEmpty()) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "the request needs a user message", firstField);
        }
        ChatMessage last = messages.getLast();
        if (last.role() != ChatMessage.Role.USER && last.role() != ChatMessage.Role.TOOL) {
            throw new ApiException(ErrorCode.INVALID_REQUEST,
                    "the last message must be a user message or a tool result", firstField);
        }
        if (last.role() == ChatMessage.Role.USER && last.content().isBlank() && last.images().isEmpty()) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "the last user message must not be empty", firstField);
        }
        int lastUser = -1;
        for (int i = messages.size() - 1; i >= 0 && lastUser < 0; i--) {
            if (messages.get(i).role() == ChatMessage.Role.USER) {
                lastUser = i;
            }
        }
        List<ChatMessage> history = lastUser < 0 ? List.of() : messages.subList(0, lastUser);
        List<ChatMessage> exchange = messages.subList(Math.max(lastUser, 0), messages.size());
        String query = lastUser >= 0 ? messages.get(lastUser).content()
                : exchange.stream().map(ChatMessage::content).collect(Collectors.joining("\n"));
        boolean plain = exchange.size() == 1 && !exchange.getFirst().structured();
        return new Conversation(system, List.copyOf(history), query, plain ? List.of() : List.copyOf(exchange));
    }
}
