package io.cato.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cato.breaker.BreakerPolicy;
import io.cato.budget.BudgetSettings;
import io.cato.cache.CacheSettings;
import io.cato.model.Capability;
import io.cato.model.Provider;
import io.cato.model.TierConfig;
import io.cato.routing.RoutingSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads configuration in layers, each overriding the one before: the shipped defaults, a JSON
 * file ({@code --config} or {@code CATO_CONFIG}), inline JSON in {@code CATO_CONFIG_JSON}, then
 * single environment variables ({@code CATO_PORT}, {@code CATO_TIER_<NAME>_BASE_URL}, {@code _REGION}, ...).
 */
public final class SettingsLoader {
    private final ObjectMapper mapper = Json.newMapper();
    private final Map<String, String> env;

    public SettingsLoader(Map<String, String> env) {
        this.env = env;
    }

    public Settings load(Optional<Path> configFile) {
        ObjectNode root = defaults();
        Optional<Path> file = configFile.or(() -> Optional.ofNullable(env.get("CATO_CONFIG")).map(Path::of));
        file.ifPresent(path -> merge(root, readFile(path)));
        Optional.ofNullable(env.get("CATO_CONFIG_JSON")).ifPresent(json -> merge(root, parse(json, "CATO_CONFIG_JSON")));
        applyEnvironment(root);
        return toSettings(root);
    }

    private ObjectNode defaults() {
        try (InputStream in = SettingsLoader.class.getResourceAsStream("defaults.json")) {
            return (ObjectNode) mapper.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("the shipped defaults are unreadable", e);
        }
    }

    private JsonNode readFile(Path path) {
        try {
            return parse(Files.readString(path), path.toString());
        } catch (IOException e) {
            throw new InvalidSettingsException("cannot read config file " + path + ": " + e.getMessage(), e);
        }
    }

    private JsonNode parse(String json, String source) {
        try {
            JsonNode node = mapper.readTree(json);
            if (node == null || !node.isObject()) {
                throw new InvalidSettingsException(source + " must hold a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new InvalidSettingsException(source + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** Objects merge key by key; anything else (arrays included) replaces. */
    static void merge(ObjectNode target, JsonNode overlay) {
        overlay.properties().forEach(entry -> {
            JsonNode existing = target.get(entry.getKey());
            if (existing instanceof ObjectNode object && entry.getValue().isObject()) {
                merge(object, entry.getValue());
            } else {
                target.set(entry.getKey(), entry.getValue());
            }
        });
    }

    private void applyEnvironment(ObjectNode root) {
        envValue("CATO_PORT").ifPresent(v -> root.put("port", integer("CATO_PORT", v)));
        envValue("CATO_DATA_DIR").ifPresent(v -> root.put("data_dir", v));
        envValue("CATO_ADMIN_TOKEN").ifPresent(v -> root.put("admin_token", v));
        envValue("CATO_ROLLOUT_PERCENTAGE").ifPresent(v ->
                root.with("rollout").put("percentage", integer("CATO_ROLLOUT_PERCENTAGE", v)));
        envValue("CATO_LEGACY_BASE_URL").ifPresent(v -> root.with("legacy").put("base_url", v));
        envValue("CATO_LEGACY_API_KEY").ifPresent(v -> root.with("legacy").put("api_key", v));
        envValue("CATO_SESSIONS_TABLE").ifPresent(v -> root.with("tables").put("sessions", v));
        envValue("CATO_IDEMPOTENCY_TABLE").ifPresent(v -> root.with("tables").put("idempotency", v));
        envValue("CATO_CACHE_TABLE").ifPresent(v -> root.with("tables").put("cache", v));
        envValue("CATO_CACHE_ENABLED").ifPresent(v -> root.with("cache").put("enabled", Boolean.parseBoolean(v.strip())));
        envValue("CATO_CACHE_FALSE_HIT_BUDGET").ifPresent(v ->
                root.with("cache").put("false_hit_budget", decimal("CATO_CACHE_FALSE_HIT_BUDGET", v)));
        envValue("CATO_ROUTING_THRESHOLD").ifPresent(v ->
                root.with("routing").put("threshold", decimal("CATO_ROUTING_THRESHOLD", v)));
        envValue("CATO_MAX_IN_FLIGHT").ifPresent(v ->
                root.with("limits").put("max_in_flight", integer("CATO_MAX_IN_FLIGHT", v)));
        envValue("CATO_UPSTREAM_HTTP2").ifPresent(v ->
                root.with("upstream").put("http2", Boolean.parseBoolean(v.strip())));
        envValue("CATO_UPSTREAM_CONNECTIONS").ifPresent(v ->
                root.with("upstream").put("connections", integer("CATO_UPSTREAM_CONNECTIONS", v)));
        envValue("CATO_BREAKERS_TABLE").ifPresent(v -> root.with("tables").put("breakers", v));
        envValue("CATO_MEMORY_TABLE").ifPresent(v -> root.with("tables").put("memory", v));
        envValue("CATO_BUDGETS_TABLE").ifPresent(v -> root.with("tables").put("budgets", v));
        for (JsonNode tier : root.withArray("tiers")) {
            String prefix = "CATO_TIER_" + tier.path("name").asText().toUpperCase(Locale.ROOT).replace('-', '_') + "_";
            envValue(prefix + "BASE_URL").ifPresent(v -> ((ObjectNode) tier).put("base_url", v));
            envValue(prefix + "API_KEY").ifPresent(v -> ((ObjectNode) tier).put("api_key", v));
            envValue(prefix + "MODEL_ID").ifPresent(v -> ((ObjectNode) tier).put("model_id", v));
            envValue(prefix + "REGION").ifPresent(v -> ((ObjectNode) tier).put("region", v));
            envValue(prefix + "ENDPOINT").ifPresent(v -> ((ObjectNode) tier).put("endpoint", v));
        }
    }

    private Optional<String> envValue(String name) {
        return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
    }

    private static int integer(String name, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new InvalidSettingsException(name + " must be a whole number, got '" + value + "'");
        }
    }

    private Settings toSettings(JsonNode root) {
        try {
            JsonNode limits = root.path("limits");
            return new Settings(root.path("port").asInt(), Path.of(root.path("data_dir").asText(".cato")),
                    text(root, "admin_token"), root.path("rollout").path("percentage").asInt(100),
                    legacy(root.path("legacy")), tiers(root.path("tiers")), names(root.path("fallback_chain")),
                    Duration.ofHours(root.path("session").path("ttl_hours").asLong(720)),
                    root.path("session").path("max_turns_read").asInt(50),
                    Duration.ofSeconds(root.path("idempotency").path("window_seconds").asLong(3600)),
                    limits(limits),
                    new Settings.Tables(root.path("tables").path("sessions").asText(),
                            root.path("tables").path("idempotency").asText(),
                            root.path("tables").path("cache").asText("cato-cache"),
                            root.path("tables").path("breakers").asText("cato-breakers"),
                            root.path("tables").path("memory").asText(Settings.Tables.DEFAULT_MEMORY),
                            root.path("tables").path("budgets").asText(Settings.Tables.DEFAULT_BUDGETS)),
                    cache(root.path("cache")),
                    breaker(root.path("breaker")),
                    routing(root.path("routing"), root.path("legacy")),
                    root.path("upstream").path("http2").asBoolean(false),
                    root.path("upstream").path("connections").asInt(1),
                    BudgetSettings.fromJson(root.path("budgets")));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingsException(e.getMessage(), e);
        }
    }

    private static Settings.Limits limits(JsonNode limits) {
        return new Settings.Limits(limits.path("max_body_bytes").asInt(1_048_576),
                Duration.ofMillis(limits.path("request_timeout_ms").asLong(30_000)),
                Duration.ofMillis(limits.path("stream_timeout_ms").asLong(300_000)),
                Duration.ofMillis(limits.path("memory_reserve_ms").asLong(1_000)),
                limits.path("default_max_tokens").asInt(1024),
                limits.path("max_in_flight").asInt(Settings.DEFAULT_MAX_IN_FLIGHT),
                limits.path("max_query_bytes").asInt(128 * 1024),
                Duration.ofMillis(limits.path("read_timeout_ms").asLong(20_000)));
    }

    private static double decimal(String name, String value) {
        try {
            return Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new InvalidSettingsException(name + " must be a number, got '" + value + "'");
        }
    }

    private static CacheSettings cache(JsonNode cache) {
        CacheSettings d = CacheSettings.defaults();
        Map<String, Duration> ttlByDomain = new LinkedHashMap<>();
        cache.path("ttl_hours_by_domain").properties()
                .forEach(e -> ttlByDomain.put(e.getKey(), Duration.ofMinutes(Math.round(e.getValue().asDouble() * 60))));
        JsonNode threshold = cache.get("threshold");
        return new CacheSettings(cache.path("enabled").asBoolean(d.enabled()),
                cache.path("false_hit_budget").asDouble(d.falseHitBudget()),
                threshold == null || threshold.isNull() ? Optional.empty() : Optional.of(threshold.asDouble()),
                cache.path("min_similarity").asDouble(d.minSimilarity()),
                cache.path("candidates").asInt(d.candidates()),
                cache.has("ttl_hours") ? Duration.ofMinutes(Math.round(cache.path("ttl_hours").asDouble() * 60))
                        : d.defaultTtl(),
                ttlByDomain, cache.path("max_entries").asLong(d.maxEntries()),
                cache.has("qualifiers") ? names(cache.path("qualifiers")) : d.qualifiers());
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
                legacy.path("model").asText("gpt-4o-mini"), Duration.ofMillis(legacy.path("timeout_ms").asLong(30_000))));
    }

    private static BreakerPolicy breaker(JsonNode b) {
        BreakerPolicy d = BreakerPolicy.defaults();
        return new BreakerPolicy(b.path("failure_rate_threshold_percent").asDouble(d.failureRateThresholdPercent()),
                Duration.ofSeconds(b.path("window_seconds").asLong(d.window().toSeconds())),
                Duration.ofSeconds(b.path("bucket_seconds").asLong(d.bucket().toSeconds())),
                b.path("minimum_calls").asInt(d.minimumNumberOfCalls()),
                Duration.ofMillis(b.path("slow_call_ms").asLong(d.slowCallDuration().toMillis())),
                Duration.ofSeconds(b.path("wait_in_open_seconds").asLong(d.waitInOpen().toSeconds())),
                b.path("permitted_probes").asInt(d.permittedProbes()),
                Duration.ofSeconds(b.path("probe_lease_seconds").asLong(d.probeLease().toSeconds())),
                Duration.ofMillis(b.path("cache_ms").asLong(d.localCacheTtl().toMillis())));
    }

    private static List<TierConfig> tiers(JsonNode array) {
        List<TierConfig> tiers = new ArrayList<>();
        for (JsonNode t : array) {
            tiers.add(new TierConfig(t.path("name").asText(), Provider.parse(t.path("provider").asText("openai")),
                    t.path("model_id").asText(), text(t, "base_url"), text(t, "api_key"),
                    prices(t),
                    Duration.ofMillis(t.path("timeout_ms").asLong(20_000)), t.path("context_window").asInt(8192),
                    t.path("history_budget").asInt(4096), t.path("max_output_tokens").asInt(1024),
                    text(t, "region"), text(t, "endpoint").map(url -> endpoint(t.path("name").asText(), url)),
                    t.path("prompt_cache_min_tokens").asInt(TierConfig.DEFAULT_PROMPT_CACHE_MIN_TOKENS),
                    capabilities(t)));
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
