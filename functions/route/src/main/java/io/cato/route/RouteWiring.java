package io.cato.route;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.api.CatoApi;
import io.cato.aws.AwsClients;
import io.cato.aws.CacheBackend;
import io.cato.aws.DynamoDbComponents;
import io.cato.aws.ModelClients;
import io.cato.aws.appconfig.AppConfigRolloutFlag;
import io.cato.aws.metrics.PowertoolsMetricsSink;
import io.cato.aws.opensearch.OpenSearchIndexes;
import io.cato.aws.opensearch.OpenSearchVectorIndex;
import io.cato.aws.snapstart.SnapshotCredentials;
import io.cato.aws.stepfunctions.StepFunctionsVerificationStarter;
import io.cato.cache.VectorIndex;
import io.cato.config.Json;
import io.cato.config.Settings;
import io.cato.config.SettingsLoader;
import io.cato.embedding.Embedder;
import io.cato.embedding.MiniLmTokenEncoder;
import io.cato.rollout.FixedRolloutFlag;
import io.cato.rollout.RolloutFlag;
import io.cato.routing.Orchestrator;
import io.cato.status.MetricsSink;
import io.cato.verification.VerificationStarter;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The route function's wiring, built once per environment from its {@link Settings}: AWS clients (through
 * {@code CATO_AWS_ENDPOINT} for DynamoDB Local or moto), the rollout flag from AppConfig when one is configured,
 * the semantic cache's vector tier on OpenSearch when an endpoint is configured (without one the function runs
 * without the semantic cache), long-term memory, and the API over them.
 */
public final class RouteWiring {
    private static final Logger LOG = LoggerFactory.getLogger(RouteWiring.class);

    private final Settings settings;
    private final AwsClients aws;
    private final DynamoDbClient dynamo;
    private final ObjectMapper mapper = Json.newMapper();
    private final Clock clock = Clock.systemUTC();
    private final Optional<CacheBackend> cache;
    private final MetricsSink metrics;
    private final CatoApi api;

    /** The wiring of this process, from its environment. */
    public static RouteWiring fromProcess() {
        return new RouteWiring(SettingsLoader.fromProcess().load(Optional.empty()));
    }

    public RouteWiring(Settings settings) {
        SnapshotCredentials.beginIfInitialisingSnapshot(settings.lambda());
        this.settings = settings;
        this.aws = AwsClients.of(settings.aws());
        this.dynamo = aws.dynamoDb();
        this.cache = cacheBackend();
        // One MiniLM encoder for the cache, the classifier and memory recall: the cache's when it has one.
        Embedder embedder = cache.map(CacheBackend::embedder).orElseGet(() -> MiniLmTokenEncoder.load(1));
        this.metrics = new PowertoolsMetricsSink(settings.lambda().metricsNamespace(), settings.lambda().serviceName(),
                clock);
        var components = new DynamoDbComponents(settings, dynamo, mapper, clock);
        var extras = DynamoDbComponents.Extras.of(cache)
                .withEmbedder(Optional.of(embedder))
                .withMemory(memory(components, embedder), List.of())
                .withMetrics(metrics);
        this.api = components.api(rollout(), ModelClients.httpClient(settings.models()), extras);
    }

    public CatoApi api() {
        return api;
    }

    /** The invocation's metrics, published when {@link MetricsSink#flush()} is called as it ends. */
    public MetricsSink metrics() {
        return metrics;
    }

    public DynamoDbClient dynamo() {
        return dynamo;
    }

    public Settings settings() {
        return settings;
    }

    public Optional<CacheBackend> cache() {
        return cache;
    }

    /**
     * Facts from the memory table recalled into every answer's context, using the cache's embedding model when
     * there is one; verification started after answering when the verify state machine is configured.
     */
    private Orchestrator.LongTermMemory memory(DynamoDbComponents components, Embedder embedder) {
        Optional<VerificationStarter> verification = settings.workflows().verifyStateMachineArn()
                .map(arn -> new StepFunctionsVerificationStarter(aws.stepFunctions(), arn, mapper));
        Optional<VectorIndex> episodes = OpenSearchIndexes.open(settings.aws().openSearch(), region(),
                settings.aws().openSearch().episodeIndex()).map(VectorIndex.class::cast);
        return components.longTermMemory(components.recentFacts(), embedder, episodes, verification);
    }

    private Optional<CacheBackend> cacheBackend() {
        if (!settings.cache().enabled()) {
            return Optional.empty();
        }
        String index = settings.aws().openSearch().cacheIndex();
        return OpenSearchIndexes.open(settings.aws().openSearch(), region(), index).map(vectors -> {
            // Once per environment: during init, or, under SnapStart, once restored (it needs credentials).
            SnapshotCredentials.whenRestored(() -> createIfMissing(vectors, index));
            return CacheBackend.load(vectors);
        });
    }

    private static void createIfMissing(OpenSearchVectorIndex vectors, String index) {
        try {
            vectors.createIfMissing();
        } catch (RuntimeException e) {
            // Lookups against a missing index turn into misses; the cache must not stop the function.
            LOG.atWarn().log(() -> "cache index " + index + " not checked: " + e.getClass().getSimpleName());
        }
    }

    private RolloutFlag rollout() {
        return settings.aws().appConfig()
                .<RolloutFlag>map(app -> new AppConfigRolloutFlag(aws.appConfigData(),
                        new AppConfigRolloutFlag.Location(app.application(), app.environment(), app.profile()), mapper,
                        clock, settings.rollout().percentage()))
                .orElseGet(() -> new FixedRolloutFlag(settings.rollout().percentage()));
    }

    private Region region() {
        return Region.of(settings.aws().region());
    }
}
