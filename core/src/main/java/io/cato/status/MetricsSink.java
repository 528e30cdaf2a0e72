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

        /** Metrics without a tenant: its spend is not broken down. */
        public AnswerMetrics(String tier, String reason, boolean fallback, boolean degraded, String cacheStatus,
                             Optional<String> cacheTier, long latencyMs, double costUsd, int inputTokens,
                             int outputTokens, int cachedInputTokens) {
            this(tier, reason, fallback, degraded, cacheStatus, cacheTier, latencyMs, costUsd, inputTokens,
                    outputTokens, cachedInputTokens, Optional.empty());
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
