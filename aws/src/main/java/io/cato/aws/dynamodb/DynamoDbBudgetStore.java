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

/**
 * Limits' counters in DynamoDB: one item per scope and meter window (partition key {@code scope}, sort key
 * {@code item}, e.g. {@code usd_day#2026-12-04}), expired by TTL some time after its window ends. An item holds
 * {@code spent}, {@code held}, their sum {@code committed} (a condition cannot add, so the sum is kept), and per
 * expiry bucket of the holds under way {@code b_<epoch second>} = the amount they hold: the item stays small
 * however many calls are under way, so each write costs one write unit.
 *
 * <p>A reservation is one conditional {@code UpdateItem} ({@code committed <= limit - amount}). Settles and releases
 * take a hold out of its bucket under {@code attribute_exists} of the bucket, so a bucket a sweep removed (its
 * holds' callers died) is never given back twice; a sweep removes expired buckets under a condition on the amounts
 * it read. No write here is idempotent, so none is retried once DynamoDB may have applied it: only throttled writes
 * (which it did not apply) are. Admin-set limits are the scope's item {@code limits}.
 */
public final class DynamoDbBudgetStore implements BudgetStore {
    public static final String PK = "scope";
    public static final String SK = "item";
    public static final String TTL = "expires_at";
    static final String LIMITS_ITEM = "limits";

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
        String update;
        if (hold.isPresent()) {
            names.put("#held", "held");
            names.put("#b", BudgetItems.bucket(hold.get()));
            update = "ADD #c :a, #held :a, #b :a SET #x = :exp";
        } else {
            names.put("#spent", "spent");
            update = "ADD #c :a, #spent :a SET #x = :exp";
        }
        try {
            var response = DynamoDbErrors.call(table, () -> dynamo.updateItem(u -> u.tableName(table).key(key(key))
                    .updateExpression(update).conditionExpression("attribute_not_exists(#c) OR #c <= :room")
                    .expressionAttributeNames(names).expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .overrideConfiguration(o -> o.addPlugin(BudgetItems.AT_MOST_ONCE))));
            return reservation(true, response.attributes());
        } catch (ConditionalCheckFailedException refused) {
            return reservation(false, refused.hasItem() ? refused.item() : Map.of());
        }
    }

    private static Reservation reservation(boolean granted, Map<String, AttributeValue> item) {
        return new Reservation(granted, BudgetItems.longOf(item, "committed"), BudgetItems.buckets(item));
    }

    @Override
    public void settle(MeterKey key, Hold hold, long actual, Instant itemExpiry) {
        try {
            update(key, "ADD #spent :actual, #held :neg, #c :delta, #b :neg SET #x = :exp", "attribute_exists(#b)",
                    Map.of("#spent", "spent", "#held", "held", "#c", "committed", "#b", BudgetItems.bucket(hold),
                            "#x", TTL),
                    Map.of(":actual", BudgetItems.number(actual), ":neg", BudgetItems.number(-hold.amount()),
                            ":delta", BudgetItems.number(actual - hold.amount()),
                            ":exp", BudgetItems.number(itemExpiry.getEpochSecond())));
        } catch (ConditionalCheckFailedException swept) {
            // Its bucket was swept after its expiry: the call still happened, so its cost is spent.
            add(key, actual, itemExpiry);
        }
    }

    @Override
    public void release(MeterKey key, Hold hold) {
        try {
            update(key, "ADD #held :neg, #c :neg, #b :neg", "attribute_exists(#b)",
                    Map.of("#held", "held", "#c", "committed", "#b", BudgetItems.bucket(hold)),
                    Map.of(":neg", BudgetItems.number(-hold.amount())));
        } catch (ConditionalCheckFailedException swept) {
            // Given back by a sweep already.
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
        items.batchGet(dynamo, table, List.copyOf(byKey.keySet())).forEach(item -> {
            MeterKey k = byKey.get(Map.of(PK, item.get(PK), SK, item.get(SK)));
            states.put(k, BudgetItems.state(item));
        });
        return states;
    }

    @Override
    public long sweep(MeterKey key, Instant now) {
        for (int attempt = 0; attempt < 3; attempt++) {
            var item = DynamoDbErrors.call(table, () -> dynamo.getItem(g -> g.tableName(table).key(key(key))
                    .consistentRead(true))).item();
            List<HeldBucket> expired = BudgetItems.state(item).buckets().stream()
                    .filter(b -> b.expiresAt().isBefore(now)).limit(BudgetItems.MAX_PER_SWEEP).toList();
            if (expired.isEmpty()) {
                return 0;
            }
            try {
                return remove(key, expired);
            } catch (ConditionalCheckFailedException raced) {
                // A hold was settled or a bucket swept meanwhile: read again and sweep what is still there.
            }
        }
        return 0;
    }

    /** Removes the buckets if they still hold what was read, giving back their sum; returns it. */
    private long remove(MeterKey key, List<HeldBucket> expired) {
        Map<String, String> names = new HashMap<>(Map.of("#c", "committed", "#held", "held"));
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> removed = new ArrayList<>();
        List<String> conditions = new ArrayList<>();
        for (int i = 0; i < expired.size(); i++) {
            names.put("#b" + i, BudgetItems.bucket(expired.get(i).expiresAt()));
            values.put(":v" + i, BudgetItems.number(expired.get(i).amount()));
            removed.add("#b" + i);
            conditions.add("#b" + i + " = :v" + i);
        }
        long total = expired.stream().mapToLong(HeldBucket::amount).sum();
        values.put(":neg", BudgetItems.number(-total));
        update(key, "REMOVE " + String.join(", ", removed) + " ADD #held :neg, #c :neg",
                String.join(" AND ", conditions), names, values);
        return total;
    }

    @Override
    public Map<String, LimitSet> limits(Collection<String> scopes) {
        Map<String, LimitSet> found = new HashMap<>();
        List<Map<String, AttributeValue>> keys = scopes.stream().distinct()
                .map(scope -> Map.of(PK, AttributeValue.fromS(scope), SK, AttributeValue.fromS(LIMITS_ITEM))).toList();
        items.batchGet(dynamo, table, keys).forEach(item -> found.put(item.get(PK).s(), BudgetItems.limits(item)));
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

    /** A conditional update that changes counters: never retried once DynamoDB may have applied it. */
    private void update(MeterKey key, String expression, String condition, Map<String, String> names,
                        Map<String, AttributeValue> values) {
        DynamoDbErrors.call(table, () -> dynamo.updateItem(u -> u.tableName(table).key(key(key))
                .updateExpression(expression).conditionExpression(condition)
                .expressionAttributeNames(names).expressionAttributeValues(values)
                .overrideConfiguration(o -> o.addPlugin(BudgetItems.AT_MOST_ONCE))));
    }

    private static Map<String, AttributeValue> key(MeterKey key) {
        return Map.of(PK, AttributeValue.fromS(key.scope()), SK, AttributeValue.fromS(key.item()));
    }
}
