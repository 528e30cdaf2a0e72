package io.cato.model;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a request asks of the answer beyond the conversation's text: tools, structured output, sampling
 * settings, and the messages of the current exchange when they hold more than the question's text.
 *
 * @param exchange the request's messages from its last user message on, when any of them carries images, tool
 *     calls or tool results (or the request ends with tool results); empty for a plain text question, which is
 *     then sent as the query alone
 * @param parallelToolCalls whether the model may ask for several tool calls in one answer
 * @param stop sequences that end the answer (at most 4)
 * @param n how many answers the caller wants (1..8); each is a separate answer from the chain
 */
public record GenerationOptions(List<ToolSpec> tools, ToolChoice toolChoice, boolean parallelToolCalls,
                                ResponseFormat responseFormat, List<String> stop, Optional<Long> seed,
                                Optional<Double> topP, int n, List<ChatMessage> exchange) {

    public static final GenerationOptions NONE = builder().build();

    public GenerationOptions {
        tools = List.copyOf(tools);
        stop = List.copyOf(stop);
        exchange = List.copyOf(exchange);
    }

    /** Whether the request involves tools: tools offered, or tool calls and results in its exchange. */
    public boolean usesTools() {
        return !tools.isEmpty() || exchange.stream().anyMatch(m -> !m.toolCalls().isEmpty() || m.role() == ChatMessage.Role.TOOL);
    }

    public boolean hasImages() {
        return exchange.stream().anyMatch(m -> !m.images().isEmpty());
    }

    /** What a tier must take to answer this request. */
    public Set<Capability> requiredCapabilities() {
        Set<Capability> needed = EnumSet.noneOf(Capability.class);
        if (usesTools()) {
            needed.add(Capability.TOOLS);
        }
        if (hasImages()) {
            needed.add(Capability.IMAGES);
        }
        if (responseFormat.structured()) {
            needed.add(Capability.JSON_SCHEMA);
        }
        return needed;
    }

    /**
     * Whether an answer may be shared through the semantic cache: not when it depends on tools (definitions, calls
     * or results), on images, or when several answers are asked for (each is meant to differ).
     */
    public boolean mayShareAnswer() {
        return !usesTools() && !hasImages() && n == 1;
    }

    /** Why the answer may not be shared, as the cache outcome's reason; empty when it may. */
    public Optional<String> unsharedReason() {
        if (usesTools()) {
            return Optional.of("tools");
        }
        if (hasImages()) {
            return Optional.of("images");
        }
        return n > 1 ? Optional.of("several_choices") : Optional.empty();
    }

    /**
     * The options that change a shareable answer, as a canonical text; empty when all are at their defaults. Two
     * requests may share an answer only when these texts are equal.
     */
    public String scopeDigestPart() {
        List<String> parts = new ArrayList<>();
        if (responseFormat.structured()) {
            parts.add("format=" + responseFormat.canonical());
        }
        if (!stop.isEmpty()) {
            parts.add("stop=" + String.join("\u0001", stop));
        }
        seed.ifPresent(s -> parts.add("seed=" + s));
        topP.ifPresent(p -> parts.add("top_p=" + p));
        return String.join(";", parts);
    }

    /** The messages that close the model request: the exchange, or the question's text alone. */
    public List<ChatMessage> closingMessages(String query) {
        return exchange.isEmpty() ? List.of(ChatMessage.user(query)) : exchange;
    }

    /**
     * What a session keeps of this exchange once {@code reply} answered it: its messages (without image bytes) and
     * the reply, when tools were involved, so the next request replays the calls and results; empty otherwise,
     * and the turn's question and answer texts suffice.
     */
    public List<ChatMessage> exchangeToKeep(String query, ModelReply reply) {
        if (!usesTools() && reply.toolCalls().isEmpty()) {
            return List.of();
        }
        List<ChatMessage> kept = new ArrayList<>(closingMessages(query).stream().map(ChatMessage::withoutImages).toList());
        kept.add(ChatMessage.assistant(reply.text(), reply.toolCalls()));
        return kept;
    }

    public GenerationOptions withN(int value) {
        return toBuilder().n(value).build();
    }

    /**
     * Starts a request's generation options named part by named part. Parts left unset are those of {@link #NONE}.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this value's parts, to copy it with some of them changed. */
    public Builder toBuilder() {
        return new Builder().tools(tools).toolChoice(toolChoice).parallelToolCalls(parallelToolCalls)
                .responseFormat(responseFormat).stop(stop).seed(seed).topP(topP).n(n).exchange(exchange);
    }

    /** Collects the parts of a request's generation options by name. */
    public static final class Builder {
        private List<ToolSpec> tools = List.of();
        private ToolChoice toolChoice = ToolChoice.AUTO;
        private boolean parallelToolCalls = true;
        private ResponseFormat responseFormat = ResponseFormat.TEXT;
        private List<String> stop = List.of();
        private Optional<Long> seed = Optional.empty();
        private Optional<Double> topP = Optional.empty();
        private int n = 1;
        private List<ChatMessage> exchange = List.of();

        private Builder() {
        }

        public Builder tools(List<ToolSpec> value) {
            this.tools = value;
            return this;
        }

        public Builder toolChoice(ToolChoice value) {
            this.toolChoice = value;
            return this;
        }

        public Builder parallelToolCalls(boolean value) {
            this.parallelToolCalls = value;
            return this;
        }

        public Builder responseFormat(ResponseFormat value) {
            this.responseFormat = value;
            return this;
        }

        public Builder stop(List<String> value) {
            this.stop = value;
            return this;
        }

        public Builder seed(Optional<Long> value) {
            this.seed = value;
            return this;
        }

        public Builder topP(Optional<Double> value) {
            this.topP = value;
            return this;
        }

        public Builder n(int value) {
            this.n = value;
            return this;
        }

        public Builder exchange(List<ChatMessage> value) {
            this.exchange = value;
            return this;
        }

        public GenerationOptions build() {
            return new GenerationOptions(tools, toolChoice, parallelToolCalls, responseFormat, stop, seed, topP, n,
                    exchange);
        }
    }
}
