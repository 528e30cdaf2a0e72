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
 * Reads configuration in layers, each overriding the one before: the shipped defaults
 * ({@code defaults.json}, the one place defaults live), a JSON file ({@code --config} or
 * {@code CATO_CONFIG}), inline JSON in {@code CATO_CONFIG_JSON}, then single environment variables
 * ({@link #VARIABLES}: {@code CATO_PORT}, {@code AWS_REGION}, {@code CATO_TIER_<NAME>_BASE_URL}, ...).
 * This class is the only reader of the process's environment and system properties
 * ({@link #fromProcess()}); everything else is handed the {@link Settings} it returns.
 */
public final class SettingsLoader {
    /** The environment variables that override one JSON setting each: variable, JSON path, kind of value. */
    static final List<Variable> VARIABLES = List.of(
            Variable.integer("CATO_PORT", "port"),
            Variable.text("CATO_DATA_DIR", "data_dir"),
            Variable.text("CATO_ADMIN_TOKEN", "admin_token"),
            Variable.integer("CATO_ROLLOUT_PERCENTAGE", "rollout.percentage"),
            Variable.text("CATO_LEGACY_BASE_URL", "legacy.base_url"),
            Variable.text("CATO_LEGACY_API_KEY", "legacy.api_key"),
            Variable.text("CATO_SESSIONS_TABLE", "tables.sessions"),
            Variable.text("CATO_IDEMPOTENCY_TABLE", "tables.idempotency"),
            Variable.text("CATO_CACHE_TABLE", "tables.cache"),
            Variable.text("CATO_BREAKERS_TABLE", "tables.breakers"),
            Variable.text("CATO_MEMORY_TABLE", "tables.memory"),
            Variable.text("CATO_BUDGETS_TABLE", "tables.budgets"),
            Variable.bool("CATO_CACHE_ENABLED", "cache.enabled"),
            Variable.decimal("CATO_CACHE_FALSE_HIT_BUDGET", "cache.false_hit_budget"),
            Variable.decimal("CATO_ROUTING_THRESHOLD", "routing.threshold"),
            Variable.integer("CATO_MAX_IN_FLIGHT", "limits.max_in_flight"),
            Variable.bool("CATO_UPSTREAM_HTTP2", "upstream.http2"),
            Variable.integer("CATO_UPSTREAM_CONNECTIONS", "upstream.connections"),
            Variable.text("AWS_REGION", "aws.region"),
            Variable.text("CATO_AWS_ENDPOINT", "aws.endpoint"),
            Variable.text("CATO_S3_ENDPOINT", "aws.s3_endpoint"),
            Variable.text("CATO_BEDROCK_ENDPOINT", "aws.bedrock_endpoint"),
            Variable.text("CATO_OPENSEARCH_ENDPOINT", "aws.opensearch.endpoint"),
            Variable.bool("CATO_OPENSEARCH_REFRESH", "aws.opensearch.refresh"),
            Variable.text("CATO_OPENSEARCH_INDEX", "aws.opensearch.cache_index"),
            Variable.text("CATO_EPISODE_INDEX", "aws.opensearch.episode_index"),
            Variable.text("CATO_APPCONFIG_APPLICATION", "aws.appconfig.application"),
            Variable.text("CATO_APPCONFIG_ENVIRONMENT", "aws.appconfig.environment"),
            Variable.text("CATO_APPCONFIG_PROFILE", "aws.appconfig.profile"),
            Variable.text("CATO_VERIFY_STATE_MACHINE_ARN", "workflows.verify_state_machine_arn"),
            Variable.text("CATO_NLI_ENDPOINT", "workflows.nli_endpoint"),
            Variable.text("CATO_SHADOW_PROBE_ENDPOINT", "workflows.shadow_probe_endpoint"),
            Variable.text("CATO_EXTRACTION_MODEL_ID", "workflows.extraction.model_id"),
            Variable.text("CATO_EXTRACTION_MODEL_REGION", "workflows.extraction.region"),
            Variable.text("CATO_EXTRACTION_MODEL_ENDPOINT", "workflows.extraction.endpoint"),
            Variable.text("CATO_BATCH_MODEL_ID", "workflows.batch.model_id"),
            Variable.text("CATO_ENVIRONMENT", "workflows.batch.environment"),
            Variable.text("CATO_BATCH_BUCKET", "workflows.batch.bucket"),
            Variable.positive("CATO_BATCH_MIN_RECORDS", "workflows.batch.min_records"),
            Variable.positive("CATO_BATCH_MAX_RECORDS", "workflows.batch.max_records"),
            Variable.positive("CATO_BATCH_MAX_TOKENS", "workflows.batch.max_tokens"),
            Variable.positive("CATO_BATCH_POLL_SECONDS", "workflows.batch.poll_seconds"));
    /** Set by Lambda while it initialises a function for a SnapStart snapshot. */
    static final String INITIALIZATION_TYPE = "AWS_LAMBDA_INITIALIZATION_TYPE";
    static final String RUNTIME_API = "AWS_LAMBDA_RUNTIME_API";
    static final String SERVICE_NAME = "POWERTOOLS_SERVICE_NAME";
    static final String METRICS_NAMESPACE = "POWERTOOLS_METRICS_NAMESPACE";
    /** The JVM property through which the managed runtime names its CRaC implementation. */
    static final String CRAC_COMPAT = "org.crac.Core.Compat";

    private final ObjectMapper mapper = Json.newMapper();
    private final Map<String, String> env;
    private final Map<String, String> properties;

    public SettingsLoader(Map<String, String> env) {
        this(env, Map.of());
    }

    /** @param properties the JVM's system properties (only {@code org.crac.Core.Compat} is read) */
    public SettingsLoader(Map<String, String> env, Map<String, String> properties) {
        this.env = Map.copyOf(env);
        this.properties = Map.copyOf(properties);
    }

    /** The loader of this process's environment and system properties. */
    public static SettingsLoader fromProcess() {
        Map<String, String> properties = new java.util.HashMap<>();
        System.getProperties().stringPropertyNames().forEach(name -> properties.put(name, System.getProperty(name)));
        return new SettingsLoader(System.getenv(), properties);
    }

    public Settings load(Optional<Path> configFile) {
        ObjectNode root = defaults();
        Optional<Path> file = configFile.or(() -> envValue("CATO_CONFIG").map(Path::of));
        file.ifPresent(path -> merge(root, readFile(path)));
        envValue("CATO_CONFIG_JSON").ifPresent(json -> merge(root, parse(json, "CATO_CONFIG_JSON")));
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
        for (Variable variable : VARIABLES) {
            envValue(variable.name()).ifPresent(value -> variable.apply(root, value));
        }
        for (JsonNode tier : root.withArray("tiers")) {
            String prefix = "CATO_TIER_" + tier.path("name").asText().toUpperCase(Locale.ROOT).replace('-', '_') + "_";
            for (String field : List.of("base_url", "api_key", "model_id", "region", "endpoint")) {
                envValue(prefix + field.toUpperCase(Locale.ROOT)).ifPresent(v -> ((ObjectNode) tier).put(field, v));
            }
        }
    }

    private Optional<String> envValue(String name) {
        return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
    }

    /** One environment variable that sets one JSON setting, at a dotted path such as {@code aws.opensearch.endpoint}. */
    record Variable(String name, String path, Kind kind) {
        enum Kind { TEXT, INTEGER, POSITIVE, DECIMAL, BOOLEAN }

        static Variable text(String name, String path) {
            return new Variable(name, path, Kind.TEXT);
        }

        static Variable integer(String name, String path) {
            return new Variable(name, path, Kind.INTEGER);
        }

        static Variable positive(String name, String path) {
            return new Variable(name, path, Kind.POSITIVE);
        }

        static Variable decimal(String name, String path) {
            return new Variable(name, path, Kind.DECIMAL);
        }

        static Variable bool(String name, String path) {
            return new Variable(name, path, Kind.BOOLEAN);
        }

        void apply(ObjectNode root, String value) {
            String[] keys = path.split("\\.");
            ObjectNode parent = root;
            for (int i = 0; i < keys.length - 1; i++) {
                parent = parent.withObjectProperty(keys[i]);
            }
            String key = keys[keys.length - 1];
            switch (kind) {
                case TEXT -> parent.put(key, value);
                case INTEGER -> parent.put(key, SettingsLoader.integer(name, value));
                case POSITIVE -> parent.put(key, SettingsLoader.positive(name, value));
                case DECIMAL -> parent.put(key, SettingsLoader.decimal(name, value));
                case BOOLEAN -> parent.put(key, Boolean.parseBoolean(value.strip()));
            }
        }
    }

    private static int integer(String name, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new InvalidSettingsException(name + " must be a whole number, got '" + value + "'");
        }
    }

    private static int positive(String name, String value) {
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidSettingsException(name + " must be a positive whole number, got '" + value + "'");
    }

    private Settings toSettings(JsonNode root) {
        try {
            return new Settings(server(root), rollout(root), models(root), sessions(root), limits(root.path("limits")),
                    tables(root.path("tables")), cache(root.path("cache")), breaker(root.path("breaker")),
                    routing(root.path("routing"), root.path("legacy")), BudgetSettings.fromJson(root.path("budgets")),
                    aws(root.path("aws")), workflows(root.path("workflows")), lambda());
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

    /**
     * What the Lambda runtime tells the function, from its environment and JVM properties alone (defaults from
     * {@code defaults.json}): a function reads it before the rest of its settings, so that it can report
     * settings it cannot load to the Runtime API.
     */
    public Settings.Lambda lambda() {
        JsonNode defaults = defaults().path("lambda");
        return new Settings.Lambda("snap-start".equals(env.get(INITIALIZATION_TYPE)), envValue(RUNTIME_API),
                Optional.ofNullable(properties.get(CRAC_COMPAT)).filter(v -> !v.isBlank()),
                envValue(SERVICE_NAME).orElse(defaults.path("service_name").asText()),
                envValue(METRICS_NAMESPACE).orElse(defaults.path("metrics_namespace").asText()));
    }

    private static Optional<URI> uri(JsonNode node, String field) {
        return text(node, field).map(URI::create);
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
