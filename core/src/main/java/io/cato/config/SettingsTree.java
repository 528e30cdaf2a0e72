package io.cato.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.cato.breaker.BreakerPolicy;
import io.cato.budget.BudgetSettings;
import io.cato.cache.CacheSettings;
import io.cato.model.Capability;
import io.cato.model.Provider;
import io.cato.model.TierConfig;
import io.cato.routing.RoutingSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the merged settings tree (defaults, file, environment: {@link SettingsLoader}) into {@link Settings}: one
 * method per group, reading the JSON names the README's configuration table gives.
 */
final class SettingsTree {
    private SettingsTree() {
    }

    static Settings toSettings(JsonNode root, Settings.Lambda lambda) {
        try {
            return new Settings(server(root), rollout(root), models(root), sessions(root), limits(root.path("limits")),
                    tables(root.path("tables")), cache(root.path("cache")), breaker(root.path("breaker")),
                    routing(root.path("routing"), root.path("legacy")), BudgetSettings.fromJson(root.path("budgets")),
                    aws(root.path("aws")), workflows(root.path("workflows")), lambda);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingsException(e.getMessage(), e);
        }
    }

    private static Settings.Server server(JsonNode root) {
        return new Settings.Server(root.path("port").asInt(), Path.of(root.path("data_dir").asText()),
                text(root, "admin_token"));
    }

    private static Settings.Rollout rollout(JsonNode root) {
        return new Settings.Rollout(root.path("rollout").path("percentage").asInt(), legacy(root.path("legacy")));
    }

    private static Settings.Models models(JsonNode root) {
        return new Settings.Models(tiers(root.path("tiers")), names(root.path("fallback_chain")),
                root.path("upstream").path("http2").asBoolean(), root.path("upstream").path("connections").asInt());
    }

    private static Settings.Sessions sessions(JsonNode root) {
        return new Settings.Sessions(Duration.ofHours(root.path("session").path("ttl_hours").asLong()),
                root.path("session").path("max_turns_read").asInt(),
                Duration.ofSeconds(root.path("idempotency").path("window_seconds").asLong()));
    }

    private static Settings.Tables tables(JsonNode tables) {
        return new Settings.Tables(tables.path("sessions").asText(), tables.path("idempotency").asText(),
                tables.path("cache").asText(), tables.path("breakers").asText(), tables.path("memory").asText(),
                tables.path("budgets").asText());
    }

    private static Settings.Limits limits(JsonNode limits) {
        var timeouts = new Settings.Timeouts(Duration.ofMillis(limits.path("request_timeout_ms").asLong()),
                Duration.ofMillis(limits.path("stream_timeout_ms").asLong()),
                Duration.ofMillis(limits.path("memory_reserve_ms").asLong()),
                Duration.ofMillis(limits.path("read_timeout_ms").asLong()));
        return new Settings.Limits(limits.path("max_body_bytes").asInt(), limits.path("max_query_bytes").asInt(),
                limits.path("default_max_tokens").asInt(), limits.path("max_in_flight").asInt(), timeouts);
    }

    private static Settings.Aws aws(JsonNode aws) {
        JsonNode search = aws.path("opensearch");
        var openSearch = new Settings.OpenSearch(uri(search, "endpoint"), search.path("refresh").asBoolean(),
                search.path("cache_index").asText(), search.path("episode_index").asText());
        JsonNode app = aws.path("appconfig");
        Optional<Settings.AppConfig> appConfig = text(app, "application").map(application ->
                new Settings.AppConfig(application, app.path("environment").asText(), app.path("profile").asText()));
        return new Settings.Aws(aws.path("region").asText(), uri(aws, "endpoint"), uri(aws, "s3_endpoint"),
                uri(aws, "bedrock_endpoint"), openSearch, appConfig);
    }

    private static Settings.Workflows workflows(JsonNode workflows) {
        JsonNode extraction = workflows.path("extraction");
        JsonNode batch = workflows.path("batch");
        var sizes = new Settings.BatchSizes(batch.path("min_records").asInt(), batch.path("max_records").asInt(),
                batch.path("max_tokens").asInt(), batch.path("poll_seconds").asInt());
        return new Settings.Workflows(text(workflows, "verify_state_machine_arn"), text(workflows, "nli_endpoint"),
                text(workflows, "shadow_probe_endpoint"),
                new Settings.Extraction(text(extraction, "model_id"), text(extraction, "region"),
                        uri(extraction, "endpoint")),
                new Settings.Batch(text(batch, "model_id"), batch.path("environment").asText(), text(batch, "bucket"),
                        sizes));
    }

    private static Optional<URI> uri(JsonNode node, String field) {
        return text(node, field).map(URI::create);
    }

    private static CacheSettings cache(JsonNode cache) {
        CacheSettings d = CacheSettings.defaults();
        Map<String, Duration> ttlByDomain = new LinkedHashMap<>();
        cache.path("ttl_hours_by_domain").properties()
                .forEach(e -> ttlByDomain.put(e.getKey(), Duration.ofMinutes(Math.round(e.getValue().asDouble() * 60))));
        JsonNode threshold = cache.get("threshold");
        return CacheSettings.builder().enabled(cache.path("enabled").asBoolean(d.enabled()))
                .falseHitBudget(cache.path("false_hit_budget").asDouble(d.falseHitBudget()))
                .threshold(threshold == null || threshold.isNull() ? Optional.empty()
                        : Optional.of(threshold.asDouble()))
                .minSimilarity(cache.path("min_similarity").asDouble(d.minSimilarity()))
                .candidates(cache.path("candidates").asInt(d.candidates()))
                .defaultTtl(cache.has("ttl_hours")
                        ? Duration.ofMinutes(Math.round(cache.path("ttl_hours").asDouble() * 60)) : d.defaultTtl())
                .ttlByDomain(ttlByDomain).maxEntries(cache.path("max_entries").asLong(d.maxEntries()))
                .qualifiers(cache.has("qualifiers") ? names(cache.path("qualifiers")) : d.qualifiers()).build();
    }

    /** Clients of the legacy proxy keep sending its model name during the rollout: that name routes too. */
    private static RoutingSettings routing(JsonNode r, JsonNode legacy) {
        RoutingSettings d = RoutingSettings.defaults();
        JsonNode threshold = r.get("threshold");
        Map<String, List<String>> chains = new LinkedHashMap<>();
        r.path("fallback_chains").properties().forEach(e -> chains.put(e.getKey(), names(e.getValue())));
        RoutingSettings routing = new RoutingSettings(r.path("complex_tier").asText(d.complexTier()),
                r.path("simple_tier").asText(d.simpleTier()),
                threshold == null || threshold.isNull() ? Optional.empty() : Optional.of(threshold.asDouble()),
                chains, r.has("auto_models") ? names(r.path("auto_models")) : d.autoModels());
        return legacy(legacy).map(l -> routing.withAutoModel(l.model())).orElse(routing);
    }

    private static Optional<Settings.Legacy> legacy(JsonNode legacy) {
        return text(legacy, "base_url").map(url -> new Settings.Legacy(URI.create(url), text(legacy, "api_key"),
                legacy.path("model").asText(), Duration.ofMillis(legacy.path("timeout_ms").asLong())));
    }

    private static BreakerPolicy breaker(JsonNode b) {
        BreakerPolicy d = BreakerPolicy.defaults();
        return BreakerPolicy.builder()
                .failureRateThresholdPercent(b.path("failure_rate_threshold_percent")
                        .asDouble(d.failureRateThresholdPercent()))
                .window(Duration.ofSeconds(b.path("window_seconds").asLong(d.window().toSeconds())))
                .bucket(Duration.ofSeconds(b.path("bucket_seconds").asLong(d.bucket().toSeconds())))
                .minimumNumberOfCalls(b.path("minimum_calls").asInt(d.minimumNumberOfCalls()))
                .slowCallDuration(Duration.ofMillis(b.path("slow_call_ms").asLong(d.slowCallDuration().toMillis())))
                .waitInOpen(Duration.ofSeconds(b.path("wait_in_open_seconds").asLong(d.waitInOpen().toSeconds())))
                .permittedProbes(b.path("permitted_probes").asInt(d.permittedProbes()))
                .probeLease(Duration.ofSeconds(b.path("probe_lease_seconds").asLong(d.probeLease().toSeconds())))
                .localCacheTtl(Duration.ofMillis(b.path("cache_ms").asLong(d.localCacheTtl().toMillis()))).build();
    }

    private static List<TierConfig> tiers(JsonNode array) {
        List<TierConfig> tiers = new ArrayList<>();
        for (JsonNode t : array) {
            tiers.add(TierConfig.builder().name(t.path("name").asText())
                    .provider(Provider.parse(t.path("provider").asText("openai"))).modelId(t.path("model_id").asText())
                    .baseUrl(text(t, "base_url")).apiKey(text(t, "api_key")).prices(prices(t))
                    .timeout(Duration.ofMillis(t.path("timeout_ms").asLong(20_000)))
                    .contextWindow(t.path("context_window").asInt(8192))
                    .historyBudget(t.path("history_budget").asInt(4096))
                    .maxOutputTokens(t.path("max_output_tokens").asInt(1024)).region(text(t, "region"))
                    .endpoint(text(t, "endpoint").map(url -> endpoint(t.path("name").asText(), url)))
                    .promptCacheMinTokens(t.path("prompt_cache_min_tokens")
                            .asInt(TierConfig.DEFAULT_PROMPT_CACHE_MIN_TOKENS))
                    .capabilities(capabilities(t)).build());
        }
        return tiers;
    }

    /** The tier's declared capabilities; without the key, its provider's defaults (null tells the tier so). */
    private static java.util.Set<Capability> capabilities(JsonNode tier) {
        JsonNode list = tier.get("capabilities");
        if (list == null || list.isNull()) {
            return null;
        }
        if (!list.isArray()) {
            throw new InvalidSettingsException("tier " + tier.path("name").asText()
                    + ": capabilities must be a list such as [\"tools\", \"images\", \"json_schema\"]");
        }
        java.util.Set<Capability> found = java.util.EnumSet.noneOf(Capability.class);
        list.forEach(c -> found.add(Capability.parse(c.asText())));
        return found;
    }

    /** A tier's prices; cache writes cost the plain input price unless the tier says otherwise. */
    private static TierConfig.Prices prices(JsonNode t) {
        double input = t.path("price_input_per_1k").asDouble(0);
        return new TierConfig.Prices(input, t.path("price_output_per_1k").asDouble(0),
                t.path("price_cached_input_per_1k").asDouble(0), t.path("price_cache_write_input_per_1k").asDouble(input));
    }

    private static URI endpoint(String tier, String value) {
        URI uri = URI.create(value);
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new InvalidSettingsException("tier " + tier + ": endpoint must be an absolute URL, got '" + value + "'");
        }
        return uri;
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.asText()));
        return names;
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isBlank() ? Optional.empty() : Optional.of(value.asText());
    }
}
