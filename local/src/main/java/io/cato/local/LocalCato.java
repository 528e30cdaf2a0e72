package io.cato.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.api.CatoApi;
import io.cato.config.Json;
import io.cato.aws.AwsClients;
import io.cato.aws.CacheBackend;
import io.cato.aws.DynamoDbComponents;
import io.cato.aws.ModelClients;
import io.cato.aws.dynamodb.CatoTables;
import io.cato.cache.LuceneVectorIndex;
import io.cato.cache.VectorIndex;
import io.cato.config.Settings;
import io.cato.embedding.Embedder;
import io.cato.embedding.MiniLmTokenEncoder;
import io.cato.memory.ConsolidationRun;
import io.cato.memory.ExtractiveFactExtractor;
import io.cato.memory.RecentFacts;
import io.cato.rollout.FixedRolloutFlag;
import io.cato.routing.Orchestrator;
import io.cato.nli.NliClient;
import io.cato.verification.ShadowProbeClient;
import io.cato.verification.Verification;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The embedded default: DynamoDB Local persisted in the data directory (or a DynamoDB endpoint
 * given at start), the same API and core as the Lambda function, served over HTTP. Closing it
 * stops everything it started.
 */
public final class LocalCato implements AutoCloseable {
    private final Optional<EmbeddedDynamoDb> dynamoDb;
    private final DynamoDbClient dynamo;
    private final LocalServer server;
    private final AdminToken adminToken;

    private final Optional<CacheBackend> cache;
    private final LocalWorkflows workflows;

    private LocalCato(Optional<EmbeddedDynamoDb> dynamoDb, DynamoDbClient dynamo, LocalServer server, AdminToken adminToken,
                      Optional<CacheBackend> cache, LocalWorkflows workflows) {
        this.cache = cache;
        this.workflows = workflows;
        this.dynamoDb = dynamoDb;
        this.dynamo = dynamo;
        this.server = server;
        this.adminToken = adminToken;
    }

    public static LocalCato start(Settings settings, String host) {
        return start(settings, host, Optional.empty());
    }

    /**
     * @param dynamoDbEndpoint a DynamoDB endpoint to use instead of starting DynamoDB Local in this process, e.g.
     *                         a DynamoDB Local of its own, so the store's work is not counted as the server's
     */
    public static LocalCato start(Settings settings, String host, Optional<URI> dynamoDbEndpoint) {
        AdminToken token = AdminToken.resolve(settings.server().adminToken(), settings.server().dataDir());
        Settings effective = settings.withAdminToken(token.value());
        Optional<EmbeddedDynamoDb> dynamoDb = dynamoDbEndpoint.isPresent() ? Optional.empty()
                : Optional.of(EmbeddedDynamoDb.persistentAt(settings.server().dataDir().resolve("dynamodb")));
        DynamoDbClient dynamo = new AwsClients(Region.US_EAST_1,
                dynamoDbEndpoint.or(() -> dynamoDb.map(EmbeddedDynamoDb::endpoint))).dynamoDb();
        Optional<CacheBackend> cache = Optional.empty();
        LocalWorkflows workflows = null;
        try {
            if (effective.cache().enabled()) {
                cache = Optional.of(CacheBackend.load(
                        LuceneVectorIndex.open(settings.server().dataDir().resolve("cache-index"))));
            }
            CatoTables.createIfMissing(dynamo, effective.tables());
            ObjectMapper mapper = Json.newMapper();
            Clock clock = Clock.systemUTC();
            // One MiniLM encoder for the cache, the classifier, memory recall and consolidation.
            Embedder embedder = cache.map(CacheBackend::embedder).orElseGet(() -> MiniLmTokenEncoder.load(1));
            VectorIndex episodes = LuceneVectorIndex.open(settings.server().dataDir().resolve("episode-index"));
            var components = new DynamoDbComponents(effective, dynamo, mapper, clock);
            // Consolidation adds facts through the answer path's copy, so a new fact is recalled at once.
            RecentFacts facts = components.recentFacts();
            workflows = new LocalWorkflows(new ConsolidationRun(components.consolidation(facts.direct(), embedder,
                    Optional.of(episodes), new ExtractiveFactExtractor(), NliClient.NONE)), episodes,
                    cache.isEmpty() ? Optional.of(embedder) : Optional.empty(), mapper);
            var recall = components.recall(facts, embedder, Optional.of(episodes));
            var verification = new Verification(ShadowProbeClient.NONE, NliClient.NONE, recall,
                    components.sessions(), mapper, clock);
            var memory = new Orchestrator.LongTermMemory(Optional.of(recall),
                    Optional.of(workflows.verifier(verification)));
            CatoApi api = components.api(new FixedRolloutFlag(effective.rollout().percentage()),
                    ModelClients.httpClient(effective.models()), DynamoDbComponents.Extras.of(cache)
                            .withEmbedder(Optional.of(embedder))
                            .withMemory(memory, List.of(workflows.consolidateAction())));
            LocalServer server = new LocalServer(api, host, effective.server().port(), effective.limits().maxBodyBytes(),
                    effective.limits().maxInFlight(), effective.limits().readTimeout()).start();
            workflows.scheduleNightly();
            return new LocalCato(dynamoDb, dynamo, server, token, cache, workflows);
        } catch (RuntimeException e) {
            if (workflows != null) {
                workflows.close();
            }
            cache.ifPresent(CacheBackend::close);
            dynamo.close();
            dynamoDb.ifPresent(EmbeddedDynamoDb::close);
            throw e;
        }
    }

    public int port() {
        return server.port();
    }

    public String adminToken() {
        return adminToken.value();
    }

    boolean adminTokenGenerated() {
        return adminToken.generated();
    }

    @Override
    public void close() {
        server.close();
        workflows.close();
        cache.ifPresent(CacheBackend::close);
        dynamo.close();
        dynamoDb.ifPresent(EmbeddedDynamoDb::close);
    }
}
