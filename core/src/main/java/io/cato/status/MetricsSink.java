package io.cato.status;

import java.util.Optional;

/**
 * Where per-request metrics go: CloudWatch embedded metric format in Lambda, nowhere locally
 * (the status endpoint has the same counters). Metrics carry names, numbers and routing labels
 * only, never prompt or answer text. The finest grain is the tenant (one per API key or customer):
 * never an API key's or an end user's id, whose numbers are unbounded.
 */
public interface MetricsSink {

    /**
     * One answered query.
     *
     * @param cacheStatus "hit", "miss", "bypass" or "off"
     * @param cacheTier for a hit, "exact" or "vector"
     */
    record AnswerMetrics(String tier, String reason, boolean fallback, boolean degraded, String cacheStatus,
                         Optional<String> cacheTier, long latencyMs, double costUsd, int inputTokens,
                         int outputTokens, int cachedInputTokens, Optional<String> tenant) {

        /**
         * Starts one answered query's metrics named part by named part. Parts left unset: no cache tier and no tenant
         * (its spend is not broken down).
         */
        public static Builder builder() {
            return new Builder();
        }

        /** Collects the parts of one answered query's metrics by name. */
        public static final class Builder {
            private String tier;
            private String reason;
            private boolean fallback;
            private boolean degraded;
            private String cacheStatus;
            private Optional<String> cacheTier = Optional.empty();
            private long latencyMs;
            private double costUsd;
            private int inputTokens;
            private int outputTokens;
            private int cachedInputTokens;
            private Optional<String> tenant = Optional.empty();

            private Builder() {
            }

            public Builder tier(String value) {
                this.tier = value;
                return this;
            }

            public Builder reason(String value) {
                this.reason = value;
                return this;
            }

            public Builder fallback(boolean value) {
                this.fallback = value;
                return this;
            }

            public Builder degraded(boolean value) {
                this.degraded = value;
                return this;
            }

            public Builder cacheStatus(String value) {
                this.cacheStatus = value;
                return this;
            }

            public Builder cacheTier(Optional<String> value) {
                this.cacheTier = value;
                return this;
            }

            public Builder latencyMs(long value) {
                this.latencyMs = value;
                return this;
            }

            public Builder costUsd(double value) {
                this.costUsd = value;
                return this;
            }

            public Builder inputTokens(int value) {
                this.inputTokens = value;
                return this;
            }

            public Builder outputTokens(int value) {
                this.outputTokens = value;
                return this;
            }

            public Builder cachedInputTokens(int value) {
                this.cachedInputTokens = value;
                return this;
            }

            public Builder tenant(Optional<String> value) {
                this.tenant = value;
                return this;
            }

            public AnswerMetrics build() {
                return new AnswerMetrics(tier, reason, fallback, degraded, cacheStatus, cacheTier, latencyMs, costUsd,
                        inputTokens, outputTokens, cachedInputTokens, tenant);
            }
        }
    }

    void answered(AnswerMetrics metrics);

    /** A tier's circuit breaker opened (seen by the instance whose write opened it). */
    default void breakerOpened(String tier) {
    }

    /**
     * A tenant's request was refused by a limit or downgraded by its budget.
     *
     * @param outcome "rate_limited", "budget_exceeded" or "downgraded"
     */
    default void limited(String tenant, String outcome) {
    }

    /**
     * Publishes what was recorded since the last flush; a deployment that batches (one Lambda invocation's
     * metrics) calls it when the invocation ends. Sinks that publish at once need not override it.
     */
    default void flush() {
    }

    MetricsSink NONE = metrics -> { };
}
