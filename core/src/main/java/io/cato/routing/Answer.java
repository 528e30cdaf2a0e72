package io.cato.routing;

import io.cato.model.FinishReason;
import io.cato.model.ModelReply;
import io.cato.model.TokenUsage;
import io.cato.model.ToolCall;
import java.util.List;
import java.util.Optional;

/**
 * How a query was answered.
 *
 * @param model the model id that produced the text ("memory" for the memory tier)
 * @param fallbackFrom the tier that was chosen first, when another one had to answer
 * @param degraded true when no model answered and the memory tier stood in
 * @param recording where the answer was kept in its session, and whether it is being verified
 * @param classification the classifier's verdict, when the query was classified
 * @param output the answer's tool calls and why it ended
 */
public record Answer(String text, String model, String tier, String reason, Optional<String> fallbackFrom,
                     boolean cached, double costUsd, TokenUsage usage, long latencyMs, boolean degraded,
                     Recording recording, CacheOutcome cache, Optional<Classification> classification, Output output) {

    public Answer {
        output = output == null ? Output.STOPPED : output;
    }

    /**
     * What the model produced besides text.
     *
     * @param toolCalls the tools the model asks the caller to run
     * @param finishReason why the answer ended: naturally, at its token limit, for tool calls, or filtered
     */
    public record Output(List<ToolCall> toolCalls, FinishReason finishReason) {
        public static final Output STOPPED = new Output(List.of(), FinishReason.STOP);

        public Output {
            toolCalls = List.copyOf(toolCalls);
        }

        public static Output of(ModelReply reply) {
            return new Output(reply.toolCalls(), reply.finishReason());
        }
    }

    /** The answer's place in its session, 0 for a stateless request or when it could not be recorded. */
    public long turn() {
        return recording.turn();
    }

    /**
     * What became of the answer in its session.
     *
     * @param turn its sequence number in the session; 0 when there is none
     * @param recorded false when the session store failed to keep it (the caller still got the answer)
     * @param verification "pending" (the verify workflow was started and will store its verdict on the turn),
     *                     "skipped" (nothing to verify: a stateless request, a cached or memory-tier answer),
     *                     "not_configured" (no verifier deployed) or "unavailable" (the verifier could not be started)
     */
    public record Recording(long turn, boolean recorded, String verification) {
        public static final String PENDING = "pending";
        public static final String SKIPPED = "skipped";
        public static final String NOT_CONFIGURED = "not_configured";
        public static final String UNAVAILABLE = "unavailable";
        public static final Recording STATELESS = new Recording(0, true, SKIPPED);
        public static final Recording FAILED = new Recording(0, false, SKIPPED);
    }

    /**
     * What the semantic cache did for this query.
     *
     * @param status "hit", "miss", "bypass" (the query may not use the shared cache) or "off"
     * @param reason for a miss or a bypass, why (e.g. "no_match", "follow_up")
     * @param tier for a hit, "exact" or "vector"
     */
    public record CacheOutcome(String status, Optional<String> reason, Optional<String> tier,
                               Optional<String> entryId, Optional<java.time.Duration> age) {
        public static final CacheOutcome OFF = new CacheOutcome("off", Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());

        public static CacheOutcome miss(String reason) {
            return new CacheOutcome("miss", Optional.of(reason), Optional.empty(), Optional.empty(), Optional.empty());
        }

        public static CacheOutcome bypass(String reason) {
            return new CacheOutcome("bypass", Optional.of(reason), Optional.empty(), Optional.empty(), Optional.empty());
        }
    }

    /**
     * Starts an answer named part by named part. Parts left unset: no fallback, no usage, a stateless recording, the
     * cache off, no classification and no tool calls.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects the parts of an answer by name. */
    public static final class Builder {
        private String text;
        private String model;
        private String tier;
        private String reason;
        private Optional<String> fallbackFrom = Optional.empty();
        private boolean cached;
        private double costUsd;
        private TokenUsage usage = TokenUsage.NONE;
        private long latencyMs;
        private boolean degraded;
        private Recording recording = Recording.STATELESS;
        private CacheOutcome cache = CacheOutcome.OFF;
        private Optional<Classification> classification = Optional.empty();
        private Output output = Output.STOPPED;

        private Builder() {
        }

        public Builder text(String value) {
            this.text = value;
            return this;
        }

        public Builder model(String value) {
            this.model = value;
            return this;
        }

        public Builder tier(String value) {
            this.tier = value;
            return this;
        }

        public Builder reason(String value) {
            this.reason = value;
            return this;
        }

        public Builder fallbackFrom(Optional<String> value) {
            this.fallbackFrom = value;
            return this;
        }

        public Builder cached(boolean value) {
            this.cached = value;
            return this;
        }

        public Builder costUsd(double value) {
            this.costUsd = value;
            return this;
        }

        public Builder usage(TokenUsage value) {
            this.usage = value;
            return this;
        }

        public Builder latencyMs(long value) {
            this.latencyMs = value;
            return this;
        }

        public Builder degraded(boolean value) {
            this.degraded = value;
            return this;
        }

        public Builder recording(Recording value) {
            this.recording = value;
            return this;
        }

        public Builder cache(CacheOutcome value) {
            this.cache = value;
            return this;
        }

        public Builder classification(Optional<Classification> value) {
            this.classification = value;
            return this;
        }

        public Builder output(Output value) {
            this.output = value;
            return this;
        }

        public Answer build() {
            return new Answer(text, model, tier, reason, fallbackFrom, cached, costUsd, usage, latencyMs, degraded,
                    recording, cache, classification, output);
        }
    }
}
