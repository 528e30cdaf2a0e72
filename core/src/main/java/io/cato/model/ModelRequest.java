package io.cato.model;

import java.time.Duration;
import java.util.List;

/**
 * What a tier is asked: an optional system prompt and the conversation ending with the query.
 *
 * @param deadline how long the call may take in all, retries included
 * @param options tools, structured output and sampling settings beyond temperature
 */
public record ModelRequest(String system, List<ChatMessage> messages, int maxTokens, double temperature,
                           Duration deadline, GenerationOptions options) {

    public ModelRequest {
        messages = List.copyOf(messages);
        options = options == null ? GenerationOptions.NONE : options;
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a model request needs at least one message");
        }
    }

    public ModelRequest(String system, List<ChatMessage> messages, int maxTokens, double temperature,
                        Duration deadline) {
        this(system, messages, maxTokens, temperature, deadline, GenerationOptions.NONE);
    }

    /** The same request with less time left, for a retry. */
    public ModelRequest withDeadline(Duration remaining) {
        return new ModelRequest(system, messages, maxTokens, temperature, remaining, options);
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
