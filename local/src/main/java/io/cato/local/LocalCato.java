package io.cato.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.api.CatoApi;
import io.cato.api.Json;
import io.cato.aws.AwsClients;
import io.cato.aws.CatoWiring;
import io.cato.cache.Embedder;
import io.cato.cache.LuceneVectorIndex;
import io.cato.cache.MiniLmTokenEncoder;
import io.cato.aws.dynamodb.CatoTables;
import io.cato.config.Settings;
import io.cato.rollout.FixedRolloutFlag;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The embedded default: DynamoDB Local persisted in the data directory, the same API and core
 * as the Lambda function, served over HTTP. Closing it stops everything it started.
 */
public final class LocalCato implements AutoCloseable {
    private final EmbeddedDynamoDb dynamoDb;
    private final DynamoDbClient dynamo;
    private final LocalServer server;
    private final AdminToken adminToken;

    private final Optional<CatoWiring.CacheBackend> cache;
    private final Optional<MiniLmTokenEncoder> routingEncoder;

    private LocalCato(EmbeddedDynamoDb dynamoDb, DynamoDbClient dynamo, LocalServer server, AdminToken adminToken,
                      Optional<CatoWiring.CacheBackend> cache, Optional<MiniLmTokenEncoder> routingEncoder) {
        this.cache = cache;
        this.routingEncoder = routingEncoder;
        this.dynamoDb = dynamoDb;
        this.dynamo = dynamo;
        this.server = server;
        this.adminToken = adminToken;
    }

    public static LocalCato start(Settings settings, String host) {
        AdminToken token = AdminToken.resolve(settings.adminToken(), settings.dataDir());
        Settings effective = settings.withAdminToken(token.value());
        EmbeddedDynamoDb dynamoDb = EmbeddedDynamoDb.persistentAt(settings.dataDir().resolve("dynamodb"));
        DynamoDbClient dynamo = new AwsClients(Region.US_EAST_1, Optional.of(dynamoDb.endpoint())).dynamoDb();
        Optional<CatoWiring.CacheBackend> cache = Optional.empty();
        Optional<MiniLmTokenEncoder> routingEncoder = Optional.empty();
        try {
            if (effective.cache().enabled()) {
                cache = Optional.of(CatoWiring.CacheBackend.load(
                        LuceneVectorIndex.open(settings.dataDir().resolve("cache-index"))));
            } else if (CatoWiring.classifiesQueries(effective)) {
                routingEncoder = Optional.of(MiniLmTokenEncoder.load(1));
            }
            Optional<Embedder> embedder = cache.isPresent() ? cache.map(CatoWiring.CacheBackend::embedder)
                    : routingEncoder.map(Embedder.class::cast);
            CatoTables.createIfMissing(dynamo, effective.tables());
            ObjectMapper mapper = Json.newMapper();
            CatoApi api = CatoWiring.api(effective, dynamo, new FixedRolloutFlag(effective.rolloutPercentage()), mapper,
                    CatoWiring.httpClient(), java.time.Clock.systemUTC(), cache, embedder);
            LocalServer server = new LocalServer(api, host, effective.port(), effective.maxBodyBytes()).start();
            return new LocalCato(dynamoDb, dynamo, server, token, cache, routingEncoder);
        } catch (RuntimeException e) {
            routingEncoder.ifPresent(MiniLmTokenEncoder::close);
            cache.ifPresent(CatoWiring.CacheBackend::close);
            dynamo.close();
            dynamoDb.close();
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
        cache.ifPresent(CatoWiring.CacheBackend::close);
        routingEncoder.ifPresent(MiniLmTokenEncoder::close);
        dynamo.close();
        dynamoDb.close();
    }
}
