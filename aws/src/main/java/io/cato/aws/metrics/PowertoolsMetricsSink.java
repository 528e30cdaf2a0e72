package io.cato.aws.metrics;

import static io.cato.aws.metrics.EmittedMetrics.CACHE_STATUS;
import static io.cato.aws.metrics.EmittedMetrics.CACHE_TIER;
import static io.cato.aws.metrics.EmittedMetrics.OUTCOME;
import static io.cato.aws.metrics.EmittedMetrics.SERVICE;
import static io.cato.aws.metrics.EmittedMetrics.TENANT;
import static io.cato.aws.metrics.EmittedMetrics.TIER;

import io.cato.status.MetricsSink;
import java.time.Clock;
import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;
import software.amazon.lambda.powertools.metrics.provider.EmfMetricsProvider;

/**
 * Publishes metrics through Powertools for AWS Lambda's metrics (CloudWatch embedded metric format on standard
 * output, which CloudWatch Logs turns into metrics). Each answer, refusal by a limit and breaker opening is one EMF
 * document with its own dimension sets ({@link EmittedMetrics}); they are held until {@link #flush()}, which the
 * function calls as each invocation ends. Per answer: dimensions the service alone, the serving tier, the cache
 * outcome and the cache tier; cost and answers also per tenant, in a document of their own before it.
 */
public final class PowertoolsMetricsSink implements MetricsSink {
    private final Metrics metrics;
    private final String service;
    private final Clock clock;
    private final Queue<Consumer<Metrics>> pending = new ConcurrentLinkedQueue<>();

    public PowertoolsMetricsSink(String namespace, String service, Clock clock) {
        // An instance of this sink's own from Powertools' EMF provider: MetricsBuilder.build() would configure and
        // return MetricsFactory's single process-wide instance instead.
        this.metrics = new EmfMetricsProvider().getMetricsInstance();
        this.metrics.setNamespace(namespace);
        this.service = service;
        this.clock = clock;
    }

    @Override
    public void answered(AnswerMetrics m) {
        Instant at = clock.instant();
        // Per tenant, cost and answers only, not every metric above.
        m.tenant().ifPresent(tenant -> pending.add(line -> {
            line.setTimestamp(at);
            dimensions(line, DimensionSet.of(SERVICE, service, TENANT, tenant));
            line.addMetric("CostUsd", m.costUsd(), MetricUnit.NONE);
            line.addMetric("Answers", 1, MetricUnit.COUNT);
        }));
        pending.add(line -> {
            line.setTimestamp(at);
            dimensions(line, DimensionSet.of(SERVICE, service), DimensionSet.of(SERVICE, service, TIER, m.tier()),
                    DimensionSet.of(SERVICE, service, CACHE_STATUS, m.cacheStatus()),
                    DimensionSet.of(SERVICE, service, CACHE_TIER, m.cacheTier().orElse("none")));
            line.addMetadata("Reason", m.reason());
            line.addMetric("Answers", 1, MetricUnit.COUNT);
            line.addMetric("Latency", m.latencyMs(), MetricUnit.MILLISECONDS);
            line.addMetric("CostUsd", m.costUsd(), MetricUnit.NONE);
            line.addMetric("CacheHit", "hit".equals(m.cacheStatus()) ? 1 : 0, MetricUnit.COUNT);
            line.addMetric("Fallback", m.fallback() ? 1 : 0, MetricUnit.COUNT);
            line.addMetric("Degraded", m.degraded() ? 1 : 0, MetricUnit.COUNT);
            line.addMetric("InputTokens", m.inputTokens(), MetricUnit.COUNT);
            line.addMetric("OutputTokens", m.outputTokens(), MetricUnit.COUNT);
            line.addMetric("CachedInputTokens", m.cachedInputTokens(), MetricUnit.COUNT);
        });
    }

    /** One document per refused or downgraded request, by tenant and by outcome. */
    @Override
    public void limited(String tenant, String outcome) {
        Instant at = clock.instant();
        pending.add(line -> {
            line.setTimestamp(at);
            dimensions(line, DimensionSet.of(SERVICE, service, OUTCOME, outcome),
                    DimensionSet.of(SERVICE, service, TENANT, tenant));
            line.addMetric("Limited", 1, MetricUnit.COUNT);
        });
    }

    @Override
    public void breakerOpened(String tier) {
        Instant at = clock.instant();
        pending.add(line -> {
            line.setTimestamp(at);
            dimensions(line, DimensionSet.of(SERVICE, service, TIER, tier));
            line.addMetric("BreakerOpened", 1, MetricUnit.COUNT);
        });
    }

    /** Writes each document recorded since the last flush, in order, as one EMF line of its own. */
    @Override
    public void flush() {
        for (Consumer<Metrics> next = pending.poll(); next != null; next = pending.poll()) {
            metrics.flushMetrics(next);
        }
    }

    /** Exactly these dimension sets: each is one of the document's, none is merged with another. */
    private static void dimensions(Metrics line, DimensionSet... sets) {
        line.clearDefaultDimensions();
        for (DimensionSet set : sets) {
            line.addDimension(set);
        }
    }
}
