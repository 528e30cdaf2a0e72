package io.cato.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import io.cato.aws.testing.DynamoDbLocal;
import io.cato.budget.BudgetStore;
import io.cato.budget.Meter;
import io.cato.testing.BudgetStoreContract;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
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

    @Test
    void oneItemPerScopeAndWindow_keepsTheSumTheConditionReads_eachHoldAndAnExpiry() {
        Instant now = Instant.now();
        var key = new BudgetStore.MeterKey("tenant#acme", Meter.USD_PER_DAY, Meter.USD_PER_DAY.window(now).id());
        Instant expiry = now.plus(Meter.USD_PER_DAY.retention());
        var hold = new BudgetStore.Hold("abc", 40, now.plusSeconds(60));

        store.reserve(key, 40, 100, Optional.of(hold), expiry);
        store.add(key, 25, expiry);

        Map<String, AttributeValue> item = DYNAMO.client().getItem(g -> g.tableName(table).key(Map.of(
                "scope", AttributeValue.fromS("tenant#acme"),
                "item", AttributeValue.fromS("usd_day#" + Meter.USD_PER_DAY.window(now).id())))).item();
        assertThat(item).containsEntry("spent", AttributeValue.fromN("25"))
                .containsEntry("held", AttributeValue.fromN("40"))
                .containsEntry("committed", AttributeValue.fromN("65"))
                .containsEntry("expires_at", AttributeValue.fromN(Long.toString(expiry.getEpochSecond())));
        assertThat(item.get("h_abc").m()).containsEntry("a", AttributeValue.fromN("40"))
                .containsEntry("x", AttributeValue.fromN(Long.toString(hold.expiresAt().toEpochMilli())));
    }
}
