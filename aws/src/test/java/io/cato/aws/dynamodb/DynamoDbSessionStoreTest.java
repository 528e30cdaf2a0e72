package io.cato.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cato.dependency.DependencyUnavailableException;
import io.cato.aws.AwsClients;
import io.cato.aws.testing.DynamoDbLocal;
import io.cato.session.SessionStore;
import io.cato.session.TurnDraft;
import io.cato.testing.SessionStoreContract;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DynamoDbSessionStoreTest extends SessionStoreContract {
    private static final DynamoDbLocal DYNAMO = new DynamoDbLocal();
    private String table;
    private DynamoDbSessionStore store;

    @BeforeEach
    void freshTable() {
        table = DYNAMO.freshTables().sessions();
        store = new DynamoDbSessionStore(DYNAMO.client(), table, Duration.ofDays(30));
    }

    @AfterAll
    static void stop() {
        DYNAMO.close();
    }

    @Override
    protected SessionStore store() {
        return store;
    }

    @Test
    void append_whoseEarlierAttemptLanded_isStoredOnce() {
        // Each PutItem is first sent once more on its own, as an attempt whose answer the SDK gave up on
        // and retried; the attempt the store sees then finds its place taken, by its own turn.
        java.util.concurrent.atomic.AtomicBoolean landed = new java.util.concurrent.atomic.AtomicBoolean();
        var retried = software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder()
                .endpointOverride(DYNAMO.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("local", "local")))
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.addExecutionInterceptor(
                        new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
                            @Override
                            public void beforeTransmission(
                                    software.amazon.awssdk.core.interceptor.Context.BeforeTransmission context,
                                    software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
                                if (context.request() instanceof software.amazon.awssdk.services.dynamodb.model.PutItemRequest put
                                        && landed.compareAndSet(false, true)) {
                                    DYNAMO.client().putItem(put);
                                }
                            }
                        }))
                .build();
        var withRetry = new DynamoDbSessionStore(retried, table, Duration.ofDays(30));

        withRetry.append("t#retry", new TurnDraft("q", "a", "m", Instant.now()));

        assertThat(landed).isTrue();
        assertThat(store.latest("t#retry", 10)).hasSize(1).first().satisfies(t -> assertThat(t.seq()).isEqualTo(1));
        retried.close();
    }

    @Test
    void append_setsTheTtlAttributeFromTheTurnTime() {
        Instant at = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        store.append("t#ttl", new TurnDraft("q", "a", "m", at));

        Map<String, AttributeValue> item = DYNAMO.client().getItem(g -> g.tableName(table).key(Map.of(
                "session", AttributeValue.fromS("t#ttl"), "seq", AttributeValue.fromN("1")))).item();
        assertThat(Long.parseLong(item.get("expires_at").n())).isEqualTo(at.plus(Duration.ofDays(30)).getEpochSecond());
    }

    @Test
    void unreachableDynamoDb_isReportedAsUnavailable() {
        var client = new AwsClients(Region.US_EAST_1, Optional.of(URI.create("http://127.0.0.1:9"))).dynamoDb();
        var unreachable = new DynamoDbSessionStore(client, table, Duration.ofDays(1));

        assertThatThrownBy(() -> unreachable.latest("t#x", 5)).isInstanceOf(DependencyUnavailableException.class);
        assertThatThrownBy(() -> unreachable.append("t#x", new TurnDraft("q", "a", "m", Instant.now())))
                .isInstanceOf(DependencyUnavailableException.class);
    }
}
