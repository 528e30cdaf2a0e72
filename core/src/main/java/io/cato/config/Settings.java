package io.cato.config;

import io.cato.cache.CacheSettings;
import io.cato.breaker.BreakerPolicy;
import io.cato.budget.BudgetSettings;
import io.cato.budget.OverBudget;
import io.cato.model.TierConfig;
import io.cato.routing.RoutingSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Every setting Cato reads, validated once at start; see {@link SettingsLoader} for the sources. */
public record Settings(int port, Path dataDir, Optional<String> adminToken, int rolloutPercentage,
                       Optional<Legacy> legacy, List<TierConfig> tiers, List<String> fallbackChain,
                       Duration sessionTtl, int maxTurnsRead, Duration idempotencyWindow, Limits limits,
                       Tables tables, CacheSettings cache, BreakerPolicy breaker, RoutingSettings routing,
                       boolean upstreamHttp2, int upstreamConnections, BudgetSettings budgets) {

    /** Requests one server holds at once before it answers 429: enough for a machine's worth of waiting calls. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 10_000;

    /**
     * What one request may ask of the service, and how long it may take.
     *
     * @param requestTimeout the deadline of a whole (not streamed) answer, from the moment the request is handed in
     * @param streamTimeout the deadline of a streamed answer; its chunks must still come no further apart than the
     *                      answering tier's timeout
     * @param memoryReserve time every fallback chain keeps back for its last link, the memory tier, so that a
     *                      request is always answered before its deadline
     * @param maxQueryBytes the largest question (UTF-8) a request may ask; the session keeps it with its answer, in
     *                      one item of a store whose items are bounded (DynamoDB: 400 KB)
     * @param readTimeout how long a client may take to send a whole request (headers and body) to the local server
     */
    public record Limits(int maxBodyBytes, Duration requestTimeout, Duration streamTimeout, Duration memoryReserve,
                         int defaultMaxTokens, int maxInFlight, int maxQueryBytes, Duration readTimeout) {
        public Limits {
            if (maxBodyBytes < 1024) {
                throw new InvalidSettingsException("limits.max_body_bytes must be at least 1024");
            }
            if (maxInFlight < 1) {
                throw new InvalidSettingsException("limits.max_in_flight must be at least 1");
            }
            if (memoryReserve.isNegative() || memoryReserve.compareTo(requestTimeout) >= 0
                    || memoryReserve.compareTo(streamTimeout) >= 0) {
                throw new InvalidSettingsException(
                        "limits.memory_reserve_ms must be at least 0 and less than request_timeout_ms and stream_timeout_ms");
            }
            if (maxQueryBytes < 1 || maxQueryBytes > 256 * 1024) {
                throw new InvalidSettingsException("limits.max_query_bytes must be between 1 and 262144");
            }
            if (!readTimeout.isPositive()) {
                throw new InvalidSettingsException("limits.read_timeout_ms must be positive");
            }
        }
    }

    /** The legacy OpenAI-compatible endpoint that traffic not yet on Cato goes to. */
    public record Legacy(URI baseUrl, Optional<String> apiKey, String model, Duration timeout) {
    }

    /**
     * DynamoDB table names; the same names the SAM template gives them per stage.
     *
     * @param memory semantic memory (facts) and the workflows' watermarks
     * @param budgets limits' counters and the limits an admin set
     */
    public record Tables(String sessions, String idempotency, String cache, String breakers, String memory,
                         String budgets) {
        public static final String DEFAULT_MEMORY = "cato-memory";
        public static final String DEFAULT_BUDGETS = "cato-budgets";

        public Tables(String sessions, String idempotency, String cache, String breakers, String memory) {
            this(sessions, idempotency, cache, breakers, memory, DEFAULT_BUDGETS);
        }

        public Tables(String sessions, String idempotency, String cache, String breakers) {
            this(sessions, idempotency, cache, breakers, DEFAULT_MEMORY);
        }
    }

    public Settings {
        tiers = List.copyOf(tiers);
        fallbackChain = List.copyOf(fallbackChain);
        if (port < 0 || port > 65_535) {
            throw new InvalidSettingsException("port must be 0..65535");
        }
        if (rolloutPercentage < 0 || rolloutPercentage > 100) {
            throw new InvalidSettingsException("rollout.percentage must be 0..100");
        }
        for (String name : fallbackChain) {
            if (tiers.stream().noneMatch(t -> t.name().equals(name))) {
                throw new InvalidSettingsException("fallback_chain names unknown tier '" + name + "'");
            }
        }
        for (var chain : routing.fallbackChains().entrySet()) {
            for (String name : chain.getValue()) {
                if (tiers.stream().noneMatch(t -> t.name().equals(name))) {
                    throw new InvalidSettingsException("routing.fallback_chains." + chain.getKey()
                            + " names unknown tier '" + name + "'");
                }
            }
        }
        if (upstreamConnections < 1 || upstreamConnections > 256) {
            throw new InvalidSettingsException("upstream.connections must be between 1 and 256");
        }
        List<TierConfig> known = tiers;
        budgets.all().flatMap(l -> l.overBudget().stream())
                .filter(OverBudget.Downgrade.class::isInstance).map(p -> ((OverBudget.Downgrade) p).tier())
                .filter(tier -> known.stream().noneMatch(t -> t.name().equals(tier))).findFirst()
                .ifPresent(tier -> {
                    throw new InvalidSettingsException("budgets: over_budget names unknown tier '" + tier + "'");
                });
    }

    public Settings withPort(int newPort) {
        return new Settings(newPort, dataDir, adminToken, rolloutPercentage, legacy, tiers, fallbackChain, sessionTtl,
                maxTurnsRead, idempotencyWindow, limits, tables, cache, breaker, routing, upstreamHttp2, upstreamConnections,
                budgets);
    }

    public Settings withDataDir(Path newDataDir) {
        return new Settings(port, newDataDir, adminToken, rolloutPercentage, legacy, tiers, fallbackChain, sessionTtl,
                maxTurnsRead, idempotencyWindow, limits, tables, cache, breaker, routing, upstreamHttp2, upstreamConnections,
                budgets);
    }

    public Settings withAdminToken(String token) {
        return new Settings(port, dataDir, Optional.of(token), rolloutPercentage, legacy, tiers, fallbackChain, sessionTtl,
                maxTurnsRead, idempotencyWindow, limits, tables, cache, breaker, routing, upstreamHttp2, upstreamConnections,
                budgets);
    }

    public int maxBodyBytes() {
        return limits.maxBodyBytes();
    }

    public Duration requestTimeout() {
        return limits.requestTimeout();
    }

    public int defaultMaxTokens() {
        return limits.defaultMaxTokens();
    }

    public int maxInFlight() {
        return limits.maxInFlight();
    }
}
