package io.cato.model;

import java.time.Duration;
import java.util.List;

/**
 * What a tier is asked: an optional system prompt and the conversation ending with the query.
 *
 * @param deadline how long the call may take in all, retries included
 */
public record ModelRequest(String system, List<ChatMessage> messages, int maxTokens, double temperature,
                           Duration deadline) {

    public ModelRequest {
        messages = List.copyOf(messages);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a model request needs at least one message");
        }
    }

    /** The same request with less time left, for a retry. */
    public ModelRequest withDeadline(Duration remaining) {
        return new ModelRequest(system, messages, maxTokens, temperature, remaining);
    }

    /** The last user message: the question being answered. */
    public String query() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role() == ChatMessage.Role.USER) {
                return messages.get(i).content();
            }
        }
        return "";
    }
}
