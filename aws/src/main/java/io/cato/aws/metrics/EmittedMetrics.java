package io.cato.aws.metrics;

import java.util.List;

/**
 * Every metric the functions publish in the {@code POWERTOOLS_METRICS_NAMESPACE} namespace, with its unit and the
 * dimension sets it is published under. The CloudWatch dashboard and alarms in template.yaml read these names and
 * dimensions; {@code emitted-metrics.json} next to this class is the same list for the template's checks.
 */
public final class EmittedMetrics {
    /** The function's service name ({@code POWERTOOLS_SERVICE_NAME}): a dimension of every metric. */
    public static final String SERVICE = "Service";
    public static final String TIER = "Tier";
    public static final String CACHE_STATUS = "CacheStatus";
    public static final String CACHE_TIER = "CacheTier";
    public static final String TENANT = "Tenant";
    public static final String OUTCOME = "Outcome";

    /** A metric, its CloudWatch unit and the dimension sets (each including {@link #SERVICE}) it carries. */
    public record Metric(String name, String unit, List<List<String>> dimensions) {
    }

    private static final List<List<String>> PER_ANSWER = List.of(List.of(SERVICE), List.of(SERVICE, TIER),
            List.of(SERVICE, CACHE_STATUS), List.of(SERVICE, CACHE_TIER));
    private static final List<List<String>> PER_ANSWER_AND_TENANT = List.of(List.of(SERVICE), List.of(SERVICE, TIER),
            List.of(SERVICE, CACHE_STATUS), List.of(SERVICE, CACHE_TIER), List.of(SERVICE, TENANT));

    public static final List<Metric> ALL = List.of(
            new Metric("Answers", "Count", PER_ANSWER_AND_TENANT),
            new Metric("Latency", "Milliseconds", PER_ANSWER),
            new Metric("CostUsd", "None", PER_ANSWER_AND_TENANT),
            new Metric("CacheHit", "Count", PER_ANSWER),
            new Metric("Fallback", "Count", PER_ANSWER),
            new Metric("Degraded", "Count", PER_ANSWER),
            new Metric("InputTokens", "Count", PER_ANSWER),
            new Metric("OutputTokens", "Count", PER_ANSWER),
            new Metric("CachedInputTokens", "Count", PER_ANSWER),
            new Metric("Limited", "Count", List.of(List.of(SERVICE, OUTCOME), List.of(SERVICE, TENANT))),
            new Metric("BreakerOpened", "Count", List.of(List.of(SERVICE, TIER))));

    private EmittedMetrics() {
    }
}
