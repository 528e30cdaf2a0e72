package io.cato.lambda;

import io.cato.config.Settings;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The environment template.yaml gives the route function (RouteFunction's Variables and the
 * Globals), with local values: DynamoDB Local as the AWS endpoint, fresh tables, and the shadow
 * tier at a loopback OpenAI-compatible stub. AppConfig, OpenSearch and the verify state machine
 * are left out: without them the function runs with the fixed rollout flag, without the semantic
 * cache and without verification.
 */
final class RouteFunctionEnvironment {
    private RouteFunctionEnvironment() {
    }

    static Map<String, String> of(URI dynamoDb, Settings.Tables tables, URI model, Path djlCache) {
        Map<String, String> env = new HashMap<>();
        env.put("POWERTOOLS_METRICS_NAMESPACE", "Cato");
        env.put("POWERTOOLS_LOG_LEVEL", "INFO");
        env.put("POWERTOOLS_SERVICE_NAME", "cato-route");
        env.put("CATO_ENVIRONMENT", "dev");
        env.put("JAVA_TOOL_OPTIONS", "-XX:+UseSerialGC");
        env.put("DJL_CACHE_DIR", djlCache.toString());
        env.put("CATO_AWS_ENDPOINT", dynamoDb.toString());
        env.put("CATO_SESSIONS_TABLE", tables.sessions());
        env.put("CATO_IDEMPOTENCY_TABLE", tables.idempotency());
        env.put("CATO_CACHE_TABLE", tables.cache());
        env.put("CATO_BREAKERS_TABLE", tables.breakers());
        env.put("CATO_MEMORY_TABLE", tables.memory());
        env.put("CATO_EPISODE_INDEX", "cato-episodes");
        env.put("CATO_OPENSEARCH_INDEX", "cato-cache");
        env.put("CATO_ROLLOUT_PERCENTAGE", "0");
        env.put("CATO_CONFIG_JSON", "{\"limits\": {\"request_timeout_ms\": 27000}}");
        env.put("CATO_TIER_SHADOW_BASE_URL", model.toString());
        return env;
    }
}
