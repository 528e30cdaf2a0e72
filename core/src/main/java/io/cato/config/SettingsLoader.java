package io.cato.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
        return SettingsTree.toSettings(root, lambda());
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

    private static double decimal(String name, String value) {
        try {
            return Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new InvalidSettingsException(name + " must be a number, got '" + value + "'");
        }
    }
}
