package io.cato.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.api.CatoApi;
import io.cato.config.Json;
import io.cato.aws.AwsClients;
import io.cato.aws.CatoWiring;
import io.cato.aws.dynamodb.CatoTables;
import io.cato.cache.Embedder;
import io.cato.cache.LuceneVectorIndex;
import io.cato.cache.MiniLmTokenEncoder;
import io.cato.cache.VectorIndex;
import io.cato.config.Settings;
import io.cato.memory.ConsolidationRun;
import io.cato.memory.ExtractiveFactExtractor;
import io.cato.memory.RecentFacts;
import io.cato.rollout.FixedRolloutFlag;
import io.cato.routing.Orchestrator;
import io.cato.nli.NliClient;
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

    private final Optional<CatoWiring.CacheBackend> cache;
    private final LocalWorkflows workflows;

    private LocalCato(Optional<EmbeddedDynamoDb> dynamoDb, DynamoDbClient dynamo, LocalServer server, AdminToken adminToken,
                      Optional<CatoWiring.CacheBackend> cache, LocalWorkflows workflows) {
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
        AdminToken token = AdminToken.resolve(settings.adminToken(), settings.dataDir());
        Settings effective = settings.withAdminToken(token.value());
        Optional<EmbeddedDynamoDb> dynamoDb = dynamoDbEndpoint.isPresent() ? Optional.empty()
                : Optional.of(EmbeddedDynamoDb.persistentAt(settings.dataDir().resolve("dynamodb")));
        DynamoDbClient dynamo = new AwsClients(Region.US_EAST_1,
                dynamoDbEndpoint.or(() -> dynamoDb.map(EmbeddedDynamoDb::endpoint))).dynamoDb();
        Optional<CatoWiring.CacheBackend> cache = Optional.empty();
        LocalWorkflows workflows = null;
        try {
            if (effective.cache().enabled()) {
                cache = Optional.of(CatoWiring.CacheBackend.load(
                        LuceneVectorIndex.open(settings.dataDir().resolve("cache-index"))));
            }
            CatoTables.createIfMissing(dynamo, effective.tables());
            ObjectMapper mapper = Json.newMapper();
            Clock clock = Clock.systemUTC();
            // One MiniLM encoder for the cache, the classifier, memory recall and consolidation.
            Embedder embedder = cache.map(CatoWiring.CacheBackend::embedder).orElseGet(() -> MiniLmTokenEncoder.load(1));
            VectorIndex episodes = LuceneVectorIndex.open(settings.dataDir().resolve("episode-index"));
            // Consolidation adds facts through the answer path's copy, so a new fact is recalled at once.
            RecentFacts facts = CatoWiring.recentFacts(effective, dynamo, clock);
            workflows = new LocalWorkflows(new ConsolidationRun(CatoWiring.consolidation(effective, dynamo,
                    facts.direct(), embedder, Optional.of(episodes), new ExtractiveFactExtractor(), NliClient.NONE,
                    clock)), episodes,
                    cache.isEmpty() ? Optional.of(embedder) : Optional.empty(), mapper);
            Orchestrator.LongTermMemory recallOnly = CatoWiring.longTermMemory(facts, embedder,
                    Optional.of(episodes), Optional.empty(), clock);
            var verification = new io.cato.verification.Verification(io.cato.verification.ShadowProbeClient.NONE,
                    NliClient.NONE, recallOnly.recall().orElseThrow(), new io.cato.aws.dynamodb.DynamoDbSessionStore(
                    dynamo, effective.tables().sessions(), effective.sessionTtl()), mapper, clock);
            Orchestrator.LongTermMemory memory = new Orchestrator.LongTermMemory(recallOnly.recall(),
                    Optional.of(workflows.verifier(verification)));
            CatoApi api = CatoWiring.api(effective, dynamo, new FixedRolloutFlag(effective.rolloutPercentage()), mapper,
                    CatoWiring.httpClient(effective.upstreamHttp2(), effective.upstreamConnections()), clock, CatoWiring.Extras.of(cache)
                            .withEmbedder(Optional.of(embedder))
                            .withMemory(memory, List.of(workflows.consolidateAction())));
            LocalServer server = new LocalServer(api, host, effective.port(), effective.maxBodyBytes(),
                    effective.maxInFlight(), effective.limits().readTimeout()).start();
            workflows.scheduleNightly();
            return new LocalCato(dynamoDb, dynamo, server, token, cache, workflows);
        } catch (RuntimeException e) {
            if (workflows != null) {
                workflows.close();
            }
            cache.ifPresent(CatoWiring.CacheBackend::close);
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
        cache.ifPresent(CatoWiring.CacheBackend::close);
        dynamo.close();
        dynamoDb.ifPresent(EmbeddedDynamoDb::close);
    }
}
