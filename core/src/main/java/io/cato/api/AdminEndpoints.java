package io.cato.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.cato.cache.SemanticCache;
import io.cato.dependency.DependencyUnavailableException;
import java.util.Optional;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cato.breaker.BreakerState;
import io.cato.breaker.CircuitBreakers;
import io.cato.budget.Budgets;
import io.cato.model.Provider;
import io.cato.rollout.RolloutFlag;
import io.cato.routing.Tier;
import io.cato.status.HealthCheck;
import io.cato.status.ServiceStats;
import java.util.List;
import java.util.Locale;

/** {@code GET /api/admin/cato/health} and {@code /status}. */
final class AdminEndpoints {
    private final ObjectMapper mapper;
    private final List<HealthCheck> checks;
    private final ServiceStats stats;
    private final RolloutFlag rollout;
    private final List<Tier> chain;
    private final CircuitBreakers breakers;
    private final Optional<SemanticCache> cache;
    private final Budgets budgets;

    AdminEndpoints(ObjectMapper mapper, List<HealthCheck> checks, ServiceStats stats, RolloutFlag rollout,
                   List<Tier> chain, CircuitBreakers breakers, Optional<SemanticCache> cache, Budgets budgets) {
        this.mapper = mapper;
        this.checks = checks;
        this.stats = stats;
        this.rollout = rollout;
        this.chain = chain;
        this.breakers = breakers;
        this.cache = cache;
        this.budgets = budgets;
    }

    /**
     * {@code POST /api/admin/cato/cache/purge} with {@code {"domain": "..."}} or {@code {"entry_id": "..."}}:
     * removes cached answers from both tiers of the cache.
     */
    ApiResponse purgeCache(JsonNode body) {
        SemanticCache semantic = cache.orElseThrow(() ->
                new ApiException(ErrorCode.NOT_FOUND, "the semantic cache is not enabled in this deployment"));
        Optional<String> domain = RequestReader.optionalText(body, "domain");
        Optional<String> entry = RequestReader.optionalText(body, "entry_id");
        if (domain.isPresent() == entry.isPresent()) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "give exactly one of 'domain' or 'entry_id'");
        }
        ObjectNode out = mapper.createObjectNode();
        if (domain.isPresent()) {
            out.put("domain", domain.get()).put("deleted", semantic.purgeDomain(domain.get()));
        } else {
            boolean deleted = semantic.purgeEntry(entry.get());
            if (!deleted) {
                throw new ApiException(ErrorCode.NOT_FOUND, "no cache entry with that id");
            }
            out.put("entry_id", entry.get()).put("deleted", 1);
        }
        return ApiResponse.json(200, out.toString());
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
        ObjectNode states = out.putObject("breakers");
        for (Tier tier : guardedTiers()) {
            ObjectNode node = states.putObject(tier.name());
            try {
                CircuitBreakers.View view = breakers.view(tier.name());
                node.put("state", view.state().name().toLowerCase(Locale.ROOT))
                        .put("since", view.since().toString())
                        .put("window_calls", view.window().calls())
                        .put("window_failures", view.window().failures())
                        .put("window_failure_rate", view.window().failureRatePercent() / 100.0);
            } catch (DependencyUnavailableException e) {
                node.put("state", "unknown");
            }
        }
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
                .put("fallbacks_into", t.fallbacksInto()).put("skipped_circuit_open", t.skippedCircuitOpen())
                .put("chosen_first", t.chosen())
                .put("share_of_answers", snapshot.answered() == 0 ? 0.0 : (double) t.answers() / snapshot.answered())
                .put("cost_usd", t.costUsd())
                .put("latency_p50_ms", t.latencyP50Ms()).put("latency_p99_ms", t.latencyP99Ms()));
        ObjectNode routing = out.putObject("routing");
        routing.put("cost_usd", snapshot.costUsd());
        ObjectNode mix = routing.putObject("tier_mix");
        snapshot.tiers().forEach((name, t) -> {
            if (t.answers() > 0) {
                mix.put(name, (double) t.answers() / snapshot.answered());
            }
        });
        ObjectNode reasons = routing.putObject("reasons");
        snapshot.routeReasons().forEach(reasons::put);
        ObjectNode cacheNode = out.putObject("cache");
        cache.ifPresentOrElse(c -> {
            cacheNode.put("enabled", c.settings().enabled()).put("false_hit_budget", c.settings().falseHitBudget())
                    .put("verifier_threshold", c.threshold()).put("max_entries", c.settings().maxEntries());
            try {
                cacheNode.put("size", c.size());
            } catch (RuntimeException e) {
                cacheNode.putNull("size");
            }
            c.stats().snapshot().forEach((k, v) -> cacheNode.putPOJO(k, v));
        }, () -> cacheNode.put("enabled", false));
        out.set("budgets", BudgetStatus.render(mapper, budgets));
        var open = out.putArray("open_breakers");
        for (Tier tier : guardedTiers()) {
            try {
                if (breakers.view(tier.name()).state() != BreakerState.CLOSED) {
                    open.add(tier.name());
                }
            } catch (DependencyUnavailableException e) {
                // Unknown is not open; the health endpoint reports the unreadable store.
            }
        }
        return ApiResponse.json(200, out.toString());
    }

    private List<Tier> guardedTiers() {
        return chain.stream().filter(tier -> tier.config().provider() != Provider.MEMORY).toList();
    }
}
