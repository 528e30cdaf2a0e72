package io.cato.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cato.dependency.DependencyUnavailableException;
import io.cato.aws.AwsClients;
import io.cato.aws.testing.DynamoDbLocal;
import io.cato.aws.testing.FailingDynamoDb;
import io.cato.breaker.BreakerRecord;
import io.cato.breaker.BreakerStore;
import io.cato.testing.BreakerStoreContract;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DynamoDbBreakerStoreTest extends BreakerStoreContract {
    private static final DynamoDbLocal DYNAMO = new DynamoDbLocal();
    private String table;
    private DynamoDbBreakerStore store;

    @BeforeEach
    void freshTable() {
        table = DYNAMO.freshTables().breakers();
        store = new DynamoDbBreakerStore(DYNAMO.client(), table);
    }

    @AfterAll
    static void stop() {
        DYNAMO.close();
    }

    @Override
    protected BreakerStore store() {
        return store;
    }

    @Test
    void oneItemPerTier_holdsThePhaseAndACounterPairPerBucket() {
        Instant bucket = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        store.addCall("bedrock_sonnet", bucket, true);
        store.transition("bedrock_sonnet", 0, BreakerRecord.Phase.open(bucket), Set.of());

        Map<String, AttributeValue> item = DYNAMO.client().getItem(g -> g.tableName(table)
                .key(Map.of("tier", AttributeValue.fromS("bedrock_sonnet")))).item();

        assertThat(item).containsEntry("state", AttributeValue.fromS("OPEN"))
                .containsEntry("version", AttributeValue.fromN("1"))
                .containsEntry("since_ms", AttributeValue.fromN(Long.toString(bucket.toEpochMilli())))
                .containsEntry("calls_" + bucket.getEpochSecond(), AttributeValue.fromN("1"))
                .containsEntry("failures_" + bucket.getEpochSecond(), AttributeValue.fromN("1"));
    }

    @Test
    void addCall_afterAServerError_isNotRetried_soNoCallIsCountedTwice() {
        try (var dynamo = new FailingDynamoDb(500, "com.amazon.coral.service#InternalFailure")) {
            var failing = new DynamoDbBreakerStore(dynamo.client(), table);

            assertThatThrownBy(() -> failing.addCall("t", Instant.now(), true))
                    .isInstanceOf(DependencyUnavailableException.class);
            assertThatThrownBy(() -> failing.read("t")).isInstanceOf(DependencyUnavailableException.class);

            assertThat(dynamo.requests("UpdateItem")).isEqualTo(1);
            assertThat(dynamo.requests("GetItem")).as("reads keep the client's retries").isGreaterThan(1);
        }
    }

    @Test
    void addCall_throttled_isRetried_becauseDynamoDbDidNotApplyIt() {
        try (var dynamo = new FailingDynamoDb(400,
                "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException")) {
            var throttled = new DynamoDbBreakerStore(dynamo.client(), table);

            assertThatThrownBy(() -> throttled.addCall("t", Instant.now(), true))
                    .isInstanceOf(DependencyUnavailableException.class);

            assertThat(dynamo.requests("UpdateItem")).isGreaterThan(1);
        }
    }

    @Test
    void unreachableDynamoDb_isReportedAsUnavailable() {
        var client = new AwsClients(Region.US_EAST_1, Optional.of(URI.create("http://127.0.0.1:9"))).dynamoDb();
        var unreachable = new DynamoDbBreakerStore(client, table);

        assertThatThrownBy(() -> unreachable.read("t")).isInstanceOf(DependencyUnavailableException.class);
        assertThatThrownBy(() -> unreachable.addCall("t", Instant.now(), true))
                .isInstanceOf(DependencyUnavailableException.class);
    }
}
