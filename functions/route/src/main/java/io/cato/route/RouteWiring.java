package io.cato.route;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.api.CatoApi;
import io.cato.config.Json;
import io.cato.aws.AwsClients;
import io.cato.aws.CatoWiring;
import io.cato.aws.appconfig.AppConfigRolloutFlag;
import io.cato.aws.opensearch.OpenSearchIndexes;
import io.cato.aws.opensearch.OpenSearchVectorIndex;
import io.cato.cache.Embedder;
import io.cato.cache.MiniLmTokenEncoder;
import io.cato.cache.VectorIndex;
import io.cato.config.Settings;
import io.cato.config.SettingsLoader;
import io.cato.rollout.FixedRolloutFlag;
import io.cato.status.EmfMetricsSink;
import io.cato.rollout.RolloutFlag;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Builds the route function from its environment: settings, AWS clients (with an endpoint
 * override, {@code CATO_AWS_ENDPOINT}, for DynamoDB Local or moto), and the rollout flag from
 * AppConfig when {@code CATO_APPCONFIG_APPLICATION} names one. The semantic cache's vector tier
 * is the OpenSearch Serverless collection at {@code CATO_OPENSEARCH_ENDPOINT} (index
 * {@code CATO_OPENSEARCH_INDEX}, default {@code cato-cache}); {@code CATO_OPENSEARCH_REFRESH=true}
 * selects a provisioned domain or local node, where writes can be refreshed at once. Without an
 * endpoint the function runs without the semantic cache.
 */
public record RouteWiring(CatoApi api, DynamoDbClient dynamo, Settings settings,
                          Optional<CatoWiring.CacheBackend> cache) {

    public static RouteWiring fromEnvironment() {
        return from(System.getenv());
    }

    public static RouteWiring from(Map<String, String> env) {
        Settings settings = new SettingsLoader(env).load(Optional.empty());
        Region region = Region.of(env.getOrDefault("AWS_REGION", "us-east-1"));
        AwsClients aws = new AwsClients(region, Optional.ofNullable(env.get("CATO_AWS_ENDPOINT")).map(URI::create));
        ObjectMapper mapper = Json.newMapper();
        DynamoDbClient dynamo = aws.dynamoDb();
        Optional<CatoWiring.CacheBackend> cache = cacheBackend(env, settings, region);
        // One MiniLM encoder for the cache, the classifier and memory recall: the cache's when it has one.
        Embedder embedder = cache.map(CatoWiring.CacheBackend::embedder).orElseGet(() -> MiniLmTokenEncoder.load(1));
        CatoWiring.Extras extras = CatoWiring.Extras.of(cache)
                .withEmbedder(Optional.of(embedder))
                .withMemory(memory(env, settings, dynamo, aws, mapper, embedder), java.util.List.of())
                .withMetrics(new EmfMetricsSink(env.getOrDefault("POWERTOOLS_METRICS_NAMESPACE", "Cato"),
                        env.getOrDefault("POWERTOOLS_SERVICE_NAME", "cato-route"), System.out, Clock.systemUTC()));
        CatoApi api = CatoWiring.api(settings, dynamo, rollout(env, settings, aws, mapper), mapper,
                CatoWiring.httpClient(settings.upstreamHttp2(), settings.upstreamConnections()), Clock.systemUTC(), extras);
        return new RouteWiring(api, dynamo, settings, cache);
    }

    /**
     * Facts from the memory table recalled into every answer's context, using the cache's
     * embedding model when there is one; verification started after answering when
     * {@code CATO_VERIFY_STATE_MACHINE_ARN} names the verify state machine.
     */
    private static io.cato.routing.Orchestrator.LongTermMemory memory(Map<String, String> env, Settings settings,
            DynamoDbClient dynamo, AwsClients aws, ObjectMapper mapper, Embedder embedder) {
        Optional<io.cato.verification.VerificationStarter> verification =
                Optional.ofNullable(env.get("CATO_VERIFY_STATE_MACHINE_ARN")).filter(arn -> !arn.isBlank())
                        .map(arn -> new io.cato.aws.stepfunctions.StepFunctionsVerificationStarter(aws.stepFunctions(),
                                arn, mapper));
        Optional<VectorIndex> episodes = OpenSearchIndexes.fromEnvironment(env,
                Region.of(env.getOrDefault("AWS_REGION", "us-east-1")),
                env.getOrDefault("CATO_EPISODE_INDEX", "cato-episodes")).map(VectorIndex.class::cast);
        return CatoWiring.longTermMemory(settings, dynamo, embedder, episodes, verification, Clock.systemUTC());
    }

    private static Optional<CatoWiring.CacheBackend> cacheBackend(Map<String, String> env, Settings settings,
                                                                   Region region) {
        String endpoint = env.get("CATO_OPENSEARCH_ENDPOINT");
        if (!settings.cache().enabled() || endpoint == null || endpoint.isBlank()) {
            return Optional.empty();
        }
        String index = env.getOrDefault("CATO_OPENSEARCH_INDEX", "cato-cache");
        OpenSearchVectorIndex vectors = OpenSearchIndexes.fromEnvironment(env, region, index).orElseThrow();
        // Once per environment: during init, or, under SnapStart, once restored (it needs credentials).
        io.cato.aws.snapstart.SnapshotCredentials.whenRestored(() -> {
            try {
                vectors.createIfMissing();
            } catch (RuntimeException e) {
                // Lookups against a missing index turn into misses; the cache must not stop the function.
                java.util.logging.Logger.getLogger(RouteWiring.class.getName())
                        .warning(() -> "cache index " + index + " not checked: " + e.getClass().getSimpleName());
            }
        });
        return Optional.of(CatoWiring.CacheBackend.load(vectors));
    }

    private static RolloutFlag rollout(Map<String, String> env, Settings settings, AwsClients aws, ObjectMapper mapper) {
        String application = env.get("CATO_APPCONFIG_APPLICATION");
        if (application == null || application.isBlank()) {
            return new FixedRolloutFlag(settings.rolloutPercentage());
        }
        var location = new AppConfigRolloutFlag.Location(application, env.getOrDefault("CATO_APPCONFIG_ENVIRONMENT", "prod"),
                env.getOrDefault("CATO_APPCONFIG_PROFILE", "rollout"));
        return new AppConfigRolloutFlag(aws.appConfigData(), location, mapper, Clock.systemUTC(),
                settings.rolloutPercentage());
    }
}
