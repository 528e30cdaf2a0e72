package io.cato.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cato.api.DependencyUnavailableException;
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
