package io.cato.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cato.rollout.RolloutFlag;
import io.cato.routing.Tier;
import io.cato.status.HealthCheck;
import io.cato.status.ServiceStats;
import java.util.List;

/** {@code GET /api/admin/cato/health} and {@code /status}. */
final class AdminEndpoints {
    private final ObjectMapper mapper;
    private final List<HealthCheck> checks;
    private final ServiceStats stats;
    private final RolloutFlag rollout;
    private final List<Tier> chain;

    AdminEndpoints(ObjectMapper mapper, List<HealthCheck> checks, ServiceStats stats, RolloutFlag rollout,
                   List<Tier> chain) {
        this.mapper = mapper;
        this.checks = checks;
        this.stats = stats;
        this.rollout = rollout;
        this.chain = chain;
    }

    ApiResponse health() {
        ObjectNode out = mapper.createObjectNode();
        ObjectNode dependencies = out.putObject("dependencies");
        boolean healthy = true;
        for (HealthCheck check : checks) {
            ObjectNode node = dependencies.putObject(check.name());
            try {
                node.put("status", "up").put("detail", check.check());
            } catch (RuntimeException e) {
                healthy = false;
                node.put("status", "down").put("detail", e.getClass().getSimpleName());
            }
        }
        out.put("status", healthy ? "ok" : "degraded");
        var tiers = out.putArray("fallback_chain");
        chain.forEach(tier -> tiers.add(tier.name()));
        out.putObject("breakers");
        return ApiResponse.json(healthy ? 200 : 503, out.toString());
    }

    ApiResponse status() {
        ServiceStats.Snapshot snapshot = stats.snapshot();
        ObjectNode out = mapper.createObjectNode();
        out.putObject("rollout").put("percentage", rollout.percentage());
        out.putObject("requests").put("answered", snapshot.answered()).put("legacy", snapshot.legacy())
                .put("rejected", snapshot.rejected());
        ObjectNode tiers = out.putObject("tiers");
        snapshot.tiers().forEach((name, t) -> tiers.putObject(name)
                .put("calls", t.calls()).put("answers", t.answers()).put("errors", t.errors())
                .put("error_rate", t.calls() == 0 ? 0.0 : (double) t.errors() / t.calls())
                .put("fallbacks_into", t.fallbacksInto()).put("cost_usd", t.costUsd())
                .put("latency_p50_ms", t.latencyP50Ms()).put("latency_p99_ms", t.latencyP99Ms()));
        out.putObject("cache").put("enabled", false);
        out.putArray("open_breakers");
        return ApiResponse.json(200, out.toString());
    }
}
