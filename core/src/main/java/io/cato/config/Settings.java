package io.cato.config;

import io.cato.cache.CacheSettings;
import io.cato.breaker.BreakerPolicy;
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
                       Duration sessionTtl, int maxTurnsRead, Duration idempotencyWindow, int maxBodyBytes,
                       Duration requestTimeout, int defaultMaxTokens, Tables tables, CacheSettings cache,
                       BreakerPolicy breaker, RoutingSettings routing, int maxInFlight, boolean upstreamHttp2,
                       int upstreamConnections) {

    /** Requests one server holds at once before it answers 429: enough for a machine's worth of waiting calls. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 10_000;

    /** The legacy OpenAI-compatible endpoint that traffic not yet on Cato goes to. */
    public record Legacy(URI baseUrl, Optional<String> apiKey, String model, Duration timeout) {
    }

    /**
     * DynamoDB table names; the same names the SAM template gives them per stage.
     *
     * @param memory semantic memory (facts) and the workflows' watermarks
     */
    public record Tables(String sessions, String idempotency, String cache, String breakers, String memory) {
        public static final String DEFAULT_MEMORY = "cato-memory";

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
        if (maxBodyBytes < 1024) {
            throw new InvalidSettingsException("limits.max_body_bytes must be at least 1024");
        }
        if (maxInFlight < 1) {
            throw new InvalidSettingsException("limits.max_in_flight must be at least 1");
        }
        if (upstreamConnections < 1 || upstreamConnections > 256) {
            throw new InvalidSettingsException("upstream.connections must be between 1 and 256");
        }
    }

    public Settings withPort(int newPort) {
        return new Settings(newPort, dataDir, adminToken, rolloutPercentage, legacy, tiers, fallbackChain, sessionTtl,
                maxTurnsRead, idempotencyWindow, maxBodyBytes, requestTimeout, defaultMaxTokens, tables, cache,
                breaker, routing, maxInFlight, upstreamHttp2, upstreamConnections);
    }

    public Settings withDataDir(Path newDataDir) {
        return new Settings(port, newDataDir, adminToken, rolloutPercentage, legacy, tiers, fallbackChain, sessionTtl,
                maxTurnsRead, idempotencyWindow, maxBodyBytes, requestTimeout, defaultMaxTokens, tables, cache,
                breaker, routing, maxInFlight, upstreamHttp2, upstreamConnections);
    }

    public Settings withAdminToken(String token) {
        return new Settings(port, dataDir, Optional.of(token), rolloutPercentage, legacy, tiers, fallbackChain, sessionTtl,
                maxTurnsRead, idempotencyWindow, maxBodyBytes, requestTimeout, defaultMaxTokens, tables, cache,
                breaker, routing, maxInFlight, upstreamHttp2, upstreamConnections);
    }
}
