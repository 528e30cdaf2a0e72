package io.cato.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cato.dependency.DependencyUnavailableException;
import io.cato.aws.testing.DynamoDbLocal;
import io.cato.aws.testing.FailingDynamoDb;
import io.cato.budget.BudgetStore;
import io.cato.budget.Meter;
import io.cato.testing.BudgetStoreContract;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DynamoDbBudgetStoreTest extends BudgetStoreContract {
    private static final DynamoDbLocal DYNAMO = new DynamoDbLocal();
    private String table;
    private DynamoDbBudgetStore store;

    @BeforeEach
    void freshTable() {
        table = DYNAMO.freshTables().budgets();
        store = new DynamoDbBudgetStore(DYNAMO.client(), table);
    }

    @AfterAll
    static void stop() {
        DYNAMO.close();
    }

    @Override
    protected BudgetStore store() {
        return store;
    }

    private static BudgetStore.MeterKey day(Instant now) {
        return new BudgetStore.MeterKey("tenant#acme", Meter.USD_PER_DAY, Meter.USD_PER_DAY.window(now).id());
    }

    @Test
    void oneItemPerScopeAndWindow_keepsTheSumTheConditionReads_aSumPerExpiryBucket_andAnExpiry() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant expiry = now.plus(Meter.USD_PER_DAY.retention());
        Instant holdExpiry = now.plusSeconds(60);
        IntStream.range(0, 500).forEach(i ->
                store.reserve(day(now), 2, 10_000, Optional.of(new BudgetStore.Hold(2, holdExpiry)), expiry));
        store.add(day(now), 25, expiry);

        Map<String, AttributeValue> item = DYNAMO.client().getItem(g -> g.tableName(table).key(Map.of(
                "scope", AttributeValue.fromS("tenant#acme"),
                "item", AttributeValue.fromS("usd_day#" + Meter.USD_PER_DAY.window(now).id())))).item();

        assertThat(item).containsOnlyKeys("scope", "item", "spent", "held", "committed", "expires_at",
                "b_" + holdExpiry.getEpochSecond());
        assertThat(item).containsEntry("spent", AttributeValue.fromN("25"))
                .containsEntry("held", AttributeValue.fromN("1000"))
                .containsEntry("committed", AttributeValue.fromN("1025"))
                .containsEntry("b_" + holdExpiry.getEpochSecond(), AttributeValue.fromN("1000"))
                .containsEntry("expires_at", AttributeValue.fromN(Long.toString(expiry.getEpochSecond())));
    }

    @Test
    void counterWrites_afterAServerError_areNotRetried_soNothingIsCountedTwice() {
        Instant now = Instant.now();
        var hold = new BudgetStore.Hold(5, now.plusSeconds(60));
        try (var dynamo = new FailingDynamoDb(500, "com.amazon.coral.service#InternalFailure")) {
            var failing = new DynamoDbBudgetStore(dynamo.client(), table);

            assertThatThrownBy(() -> failing.reserve(day(now), 5, 100, Optional.of(hold), now))
                    .isInstanceOf(DependencyUnavailableException.class);
            assertThatThrownBy(() -> failing.reserve(day(now), 1, 100, Optional.empty(), now))
                    .isInstanceOf(DependencyUnavailableException.class);
            assertThatThrownBy(() -> failing.settle(day(now), hold, 3, now))
                    .isInstanceOf(DependencyUnavailableException.class);
            assertThatThrownBy(() -> failing.add(day(now), 3, now))
                    .isInstanceOf(DependencyUnavailableException.class);
            assertThatThrownBy(() -> failing.read(List.of(day(now))))
                    .isInstanceOf(DependencyUnavailableException.class);

            assertThat(dynamo.requests("UpdateItem")).isEqualTo(4);
            assertThat(dynamo.requests("BatchGetItem")).as("reads keep the client's retries").isGreaterThan(1);
        }
    }
}
