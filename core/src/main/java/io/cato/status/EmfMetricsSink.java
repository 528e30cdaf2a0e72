package io.cato.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Clock;

/**
 * Writes each answer's metrics as one CloudWatch embedded metric format (EMF) line; in Lambda,
 * standard output goes to CloudWatch Logs, which extracts the metrics. Dimensions: the serving
 * tier, the cache outcome and, for hits, the cache tier, each with the service name, and the
 * service alone; cost and answers also per tenant. A breaker that opens is one {@code BreakerOpened}
 * line per tier; a request refused by a limit is one {@code Limited} line by tenant and by outcome.
 */
public final class EmfMetricsSink implements MetricsSink {
    private final ObjectMapper mapper = new ObjectMapper();
    private final String namespace;
    private final String service;
    private final PrintStream out;
    private final Clock clock;

    public EmfMetricsSink(String namespace, String service, PrintStream out, Clock clock) {
        this.namespace = namespace;
        this.service = service;
        this.out = out;
        this.clock = clock;
    }

    @Override
    public void answered(AnswerMetrics m) {
        ObjectNode line = mapper.createObjectNode();
        ObjectNode aws = line.putObject("_aws");
        aws.put("Timestamp", clock.millis());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", namespace);
        ArrayNode dimensions = directive.putArray("Dimensions");
        dimensions.addArray().add("Service");
        dimensions.addArray().add("Service").add("Tier");
        dimensions.addArray().add("Service").add("CacheStatus");
        dimensions.addArray().add("Service").add("CacheTier");
        ArrayNode metrics = directive.putArray("Metrics");
        metric(metrics, "Answers", "Count");
        metric(metrics, "Latency", "Milliseconds");
        metric(metrics, "CostUsd", "None");
        metric(metrics, "CacheHit", "Count");
        metric(metrics, "Fallback", "Count");
        metric(metrics, "Degraded", "Count");
        metric(metrics, "InputTokens", "Count");
        metric(metrics, "OutputTokens", "Count");
        metric(metrics, "CachedInputTokens", "Count");
        line.put("Service", service);
        line.put("Tier", m.tier());
        line.put("CacheStatus", m.cacheStatus());
        line.put("CacheTier", m.cacheTier().orElse("none"));
        line.put("Reason", m.reason());
        line.put("Answers", 1);
        line.put("Latency", m.latencyMs());
        line.put("CostUsd", m.costUsd());
        line.put("CacheHit", "hit".equals(m.cacheStatus()) ? 1 : 0);
        line.put("Fallback", m.fallback() ? 1 : 0);
        line.put("Degraded", m.degraded() ? 1 : 0);
        line.put("InputTokens", m.inputTokens());
        line.put("OutputTokens", m.outputTokens());
        line.put("CachedInputTokens", m.cachedInputTokens());
        m.tenant().ifPresent(tenant -> {
            // A directive of its own: per tenant, cost and answers only, not every metric above.
            ObjectNode perTenant = ((ArrayNode) aws.get("CloudWatchMetrics")).addObject();
            perTenant.put("Namespace", namespace);
            perTenant.putArray("Dimensions").addArray().add("Service").add("Tenant");
            metric(metric(perTenant.putArray("Metrics"), "CostUsd", "None"), "Answers", "Count");
            line.put("Tenant", tenant);
        });
        out.println(line);
    }

    /** One line per refused or downgraded request, by tenant and by outcome. */
    @Override
    public void limited(String tenant, String outcome) {
        ObjectNode line = mapper.createObjectNode();
        ObjectNode directive = line.putObject("_aws").put("Timestamp", clock.millis())
                .putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", namespace);
        ArrayNode dimensions = directive.putArray("Dimensions");
        dimensions.addArray().add("Service").add("Outcome");
        dimensions.addArray().add("Service").add("Tenant");
        metric(directive.putArray("Metrics"), "Limited", "Count");
        line.put("Service", service);
        line.put("Tenant", tenant);
        line.put("Outcome", outcome);
        line.put("Limited", 1);
        out.println(line);
    }

    @Override
    public void breakerOpened(String tier) {
        ObjectNode line = mapper.createObjectNode();
        ObjectNode directive = line.putObject("_aws").put("Timestamp", clock.millis())
                .putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", namespace);
        directive.putArray("Dimensions").addArray().add("Service").add("Tier");
        metric(directive.putArray("Metrics"), "BreakerOpened", "Count");
        line.put("Service", service);
        line.put("Tier", tier);
        line.put("BreakerOpened", 1);
        out.println(line);
    }

    private static ArrayNode metric(ArrayNode metrics, String name, String unit) {
        metrics.addObject().put("Name", name).put("Unit", unit);
        return metrics;
    }
}
