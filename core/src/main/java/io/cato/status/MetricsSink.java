package io.cato.status;

import java.util.Optional;

/**
 * Where per-request metrics go: CloudWatch embedded metric format in Lambda, nowhere locally
 * (the status endpoint has the same counters). Metrics carry names, numbers and routing labels
 * only, never prompt or answer text.
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
                         int outputTokens, int cachedInputTokens) {
    }

    void answered(AnswerMetrics metrics);

    /** A tier's circuit breaker opened (seen by the instance whose write opened it). */
    default void breakerOpened(String tier) {
    }

    MetricsSink NONE = metrics -> { };
}
