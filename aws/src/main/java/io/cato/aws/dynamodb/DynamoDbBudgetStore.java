package io.cato.aws.dynamodb;

import io.cato.budget.BudgetStore;
import io.cato.budget.LimitSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Limits' counters in DynamoDB: one item per scope and meter window (partition key {@code scope}, sort key
 * {@code item}, e.g. {@code usd_day#2026-12-04}), expired by TTL some time after its window ends. An item holds
 * {@code spent}, {@code held}, their sum {@code committed} (a condition cannot add, so the sum is kept), and each
 * hold as a top-level map attribute {@code h_<id>} = {@code {a: amount, x: expiry ms, s: swept}}.
 *
 * <p>A reservation is one conditional {@code UpdateItem}: {@code committed <= limit - amount} and the hold not yet
 * there, so a retried reservation is recognised (the item returned on failure shows the hold) instead of counted
 * twice. A settle removes its hold under {@code attribute_exists}, so a second settle changes nothing; a swept hold
 * keeps a tombstone ({@code s}) so a late settle still counts its spend once. Admin-set limits are the scope's item
 * {@code limits}, cached by {@link io.cato.budget.Budgets} for a few seconds.
 */
public final class DynamoDbBudgetStore implements BudgetStore {
    public static final String PK = "scope";
    public static final String SK = "item";
    public static final String TTL = "expires_at";
    static final String LIMITS_ITEM = "limits";
    private static final String HOLD = "h_";

    private final DynamoDbClient dynamo;
    private final String table;
    private final BudgetItems items = new BudgetItems();

    public DynamoDbBudgetStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Reservation reserve(MeterKey key, long amount, long limit, Optional<Hold> hold, Instant itemExpiry) {
        Map<String, String> names = new HashMap<>(Map.of("#c", "committed", "#x", TTL));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":a", BudgetItems.number(amount),
                ":room", BudgetItems.number(limit - amount), ":exp", BudgetItems.number(itemExpiry.getEpochSecond())));
        String condition = "(attribute_not_exists(#c) OR #c <= :room)";
        String update;
        if (hold.isPresent()) {
            names.put("#held", "held");
            names.put("#h", HOLD + hold.get().id());
            values.put(":hold", BudgetItems.hold(hold.get()));
            update = "ADD #c :a, #held :a SET #h = :hold, #x = :exp";
            condition += " AND attribute_not_exists(#h)";
        } else {
            names.put("#spent", "spent");
            update = "ADD #c :a, #spent :a SET #x = :exp";
        }
        UpdateItemRequest.Builder request = UpdateItemRequest.builder().tableName(table).key(key(key))
                .updateExpression(update).conditionExpression(condition)
                .expressionAttributeNames(names).expressionAttributeValues(values)
                .returnValues(ReturnValue.UPDATED_NEW)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
        if (hold.isEmpty()) {
            // Without a hold id the write is not idempotent: a retry after a lost response would count twice.
            request.overrideConfiguration(o -> o.addPlugin(BudgetItems.AT_MOST_ONCE));
        }
        try {
            var response = DynamoDbErrors.call(table, () -> dynamo.updateItem(request.build()));
            return new Reservation(true, BudgetItems.longOf(response.attributes(), "committed"));
        } catch (ConditionalCheckFailedException refused) {
            Map<String, AttributeValue> old = refused.hasItem() ? refused.item() : Map.of();
            boolean alreadyHeld = hold.isPresent() && old.containsKey(HOLD + hold.get().id());
            return new Reservation(alreadyHeld, BudgetItems.longOf(old, "committed"));
        }
    }

    @Override
    public void settle(MeterKey key, Hold hold, long actual, Instant itemExpiry) {
        Map<String, String> names = Map.of("#h", HOLD + hold.id(), "#s", "s", "#c", "committed", "#held", "held",
                "#spent", "spent", "#x", TTL);
        Map<String, String> unheld = Map.of("#h", HOLD + hold.id(), "#s", "s", "#c", "committed", "#spent", "spent",
                "#x", TTL);
        try {
            update(key, "REMOVE #h ADD #spent :actual, #held :neg, #c :delta SET #x = :exp",
                    "attribute_exists(#h) AND attribute_not_exists(#h.#s)", names, Map.of(
                            ":actual", BudgetItems.number(actual), ":neg", BudgetItems.number(-hold.amount()),
                            ":delta", BudgetItems.number(actual - hold.amount()),
                            ":exp", BudgetItems.number(itemExpiry.getEpochSecond())));
        } catch (ConditionalCheckFailedException heldNoLonger) {
            // Swept after its expiry: the call still happened, so its cost is spent (once: the tombstone goes).
            ignoringCondition(() -> update(key, "REMOVE #h ADD #spent :actual, #c :actual SET #x = :exp",
                    "attribute_exists(#h.#s)", unheld, Map.of(":actual", BudgetItems.number(actual),
                            ":exp", BudgetItems.number(itemExpiry.getEpochSecond()))));
        }
    }

    @Override
    public void release(MeterKey key, Hold hold) {
        Map<String, String> names = Map.of("#h", HOLD + hold.id(), "#s", "s", "#c", "committed", "#held", "held");
        try {
            update(key, "REMOVE #h ADD #held :neg, #c :neg", "attribute_exists(#h) AND attribute_not_exists(#h.#s)",
                    names, Map.of(":neg", BudgetItems.number(-hold.amount())));
        } catch (ConditionalCheckFailedException heldNoLonger) {
            ignoringCondition(() -> update(key, "REMOVE #h", "attribute_exists(#h.#s)", Map.of("#h", HOLD + hold.id(),
                    "#s", "s"), Map.of()));
        }
    }

    @Override
    public void add(MeterKey key, long amount, Instant itemExpiry) {
        DynamoDbErrors.call(table, () -> dynamo.updateItem(u -> u.tableName(table).key(key(key))
                .updateExpression("ADD #spent :a, #c :a SET #x = :exp")
                .expressionAttributeNames(Map.of("#spent", "spent", "#c", "committed", "#x", TTL))
                .expressionAttributeValues(Map.of(":a", BudgetItems.number(amount),
                        ":exp", BudgetItems.number(itemExpiry.getEpochSecond())))
                .overrideConfiguration(o -> o.addPlugin(BudgetItems.AT_MOST_ONCE))));
    }

    @Override
    public Map<MeterKey, MeterState> read(Collection<MeterKey> keys) {
        Map<MeterKey, MeterState> states = new HashMap<>();
        Map<Map<String, AttributeValue>, MeterKey> byKey = new HashMap<>();
        keys.forEach(k -> {
            byKey.put(key(k), k);
            states.put(k, MeterState.EMPTY);
        });
        items.batchGet(dynamo, table, List.copyOf(byKey.keySet()), PK, SK).forEach(item -> {
            MeterKey k = byKey.get(Map.of(PK, item.get(PK), SK, item.get(SK)));
            states.put(k, BudgetItems.state(item));
        });
        return states;
    }

    @Override
    public int sweep(MeterKey key, Instant now) {
        for (int attempt = 0; attempt < 3; attempt++) {
            var item = DynamoDbErrors.call(table, () -> dynamo.getItem(g -> g.tableName(table).key(key(key))
                    .consistentRead(true))).item();
            List<HoldState> expired = BudgetItems.state(item).holds().stream()
                    .filter(h -> !h.swept() && h.expiresAt().isBefore(now)).limit(BudgetItems.MAX_PER_SWEEP).toList();
            if (expired.isEmpty()) {
                return 0;
            }
            try {
                markSwept(key, expired);
                return expired.size();
            } catch (ConditionalCheckFailedException raced) {
                // A hold was settled or swept meanwhile: read again and sweep what is still there.
            }
        }
        return 0;
    }

    private void markSwept(MeterKey key, List<HoldState> expired) {
        Map<String, String> names = new HashMap<>(Map.of("#s", "s", "#c", "committed", "#held", "held"));
        List<String> sets = new ArrayList<>();
        List<String> conditions = new ArrayList<>();
        for (int i = 0; i < expired.size(); i++) {
            names.put("#h" + i, HOLD + expired.get(i).id());
            sets.add("#h" + i + ".#s = :one");
            conditions.add("attribute_exists(#h" + i + ") AND attribute_not_exists(#h" + i + ".#s)");
        }
        long total = expired.stream().mapToLong(HoldState::amount).sum();
        update(key, "SET " + String.join(", ", sets) + " ADD #held :neg, #c :neg", String.join(" AND ", conditions),
                names, Map.of(":one", BudgetItems.number(1), ":neg", BudgetItems.number(-total)));
    }

    @Override
    public Map<String, LimitSet> limits(Collection<String> scopes) {
        Map<String, LimitSet> found = new HashMap<>();
        List<Map<String, AttributeValue>> keys = scopes.stream().distinct()
                .map(scope -> Map.of(PK, AttributeValue.fromS(scope), SK, AttributeValue.fromS(LIMITS_ITEM))).toList();
        items.batchGet(dynamo, table, keys, PK, SK).forEach(item -> found.put(item.get(PK).s(), BudgetItems.limits(item)));
        return found;
    }

    @Override
    public void putLimits(String scope, LimitSet limits) {
        Map<String, AttributeValue> key = Map.of(PK, AttributeValue.fromS(scope), SK, AttributeValue.fromS(LIMITS_ITEM));
        if (limits.isEmpty()) {
            DynamoDbErrors.call(table, () -> dynamo.deleteItem(d -> d.tableName(table).key(key)));
            return;
        }
        Map<String, AttributeValue> item = new HashMap<>(key);
        item.putAll(BudgetItems.limitAttributes(limits));
        DynamoDbErrors.call(table, () -> dynamo.putItem(p -> p.tableName(table).item(item)));
    }

    private void update(MeterKey key, String expression, String condition, Map<String, String> names,
                        Map<String, AttributeValue> values) {
        DynamoDbErrors.call(table, () -> dynamo.updateItem(u -> u.tableName(table).key(key(key))
                .updateExpression(expression).conditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values.isEmpty() ? null : values)));
    }

    private static void ignoringCondition(Runnable write) {
        try {
            write.run();
        } catch (ConditionalCheckFailedException gone) {
            // Settled or released already: nothing is left to do.
        }
    }

    private static Map<String, AttributeValue> key(MeterKey key) {
        return Map.of(PK, AttributeValue.fromS(key.scope()), SK, AttributeValue.fromS(key.item()));
    }
}
