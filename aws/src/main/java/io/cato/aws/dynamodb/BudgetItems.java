package io.cato.aws.dynamodb;

import io.cato.budget.BudgetStore.HeldBucket;
import io.cato.budget.BudgetStore.Hold;
import io.cato.budget.BudgetStore.MeterState;
import io.cato.budget.LimitSet;
import io.cato.budget.OverBudget;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkPlugin;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/** How {@link DynamoDbBudgetStore}'s items are written and read. */
final class BudgetItems {
    /** Buckets one sweep removes at most: the update expression stays far below DynamoDB's 4 KB. */
    static final int MAX_PER_SWEEP = 40;
    private static final int MAX_KEYS_PER_BATCH = 100;
    private static final int MAX_BATCH_ROUNDS = 10;
    private static final String BUCKET = "b_";

    /** Retries only what DynamoDB did not apply (throttling), for writes a retry would count twice. */
    static final SdkPlugin AT_MOST_ONCE = config -> {
        var override = config.overrideConfiguration().toBuilder()
                .retryStrategy(DefaultRetryStrategy.standardStrategyBuilder()
                        .retryOnException(e -> e instanceof AwsServiceException aws && aws.isThrottlingException())
                        .build());
        config.overrideConfiguration().apiCallTimeout().ifPresent(override::apiCallAttemptTimeout);
        config.overrideConfiguration(override.build());
    };

    static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    /** The attribute summing the holds that expire when {@code hold} does. */
    static String bucket(Hold hold) {
        return bucket(hold.expiresAt());
    }

    static String bucket(Instant expiresAt) {
        return BUCKET + expiresAt.getEpochSecond();
    }

    static int buckets(Map<String, AttributeValue> item) {
        return (int) item.keySet().stream().filter(name -> name.startsWith(BUCKET)).count();
    }

    static long longOf(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item == null ? null : item.get(name);
        return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
    }

    static MeterState state(Map<String, AttributeValue> item) {
        if (item == null || item.isEmpty()) {
            return MeterState.EMPTY;
        }
        List<HeldBucket> buckets = new ArrayList<>();
        item.forEach((name, value) -> {
            if (name.startsWith(BUCKET) && value.n() != null) {
                buckets.add(new HeldBucket(Instant.ofEpochSecond(Long.parseLong(name.substring(BUCKET.length()))),
                        Long.parseLong(value.n())));
            }
        });
        buckets.sort(java.util.Comparator.comparing(HeldBucket::expiresAt));
        return new MeterState(longOf(item, "spent"), longOf(item, "held"), buckets);
    }

    static Map<String, AttributeValue> limitAttributes(LimitSet limits) {
        Map<String, AttributeValue> item = new HashMap<>();
        limits.requestsPerMinute().ifPresent(v -> item.put("requests_per_minute", number(v)));
        limits.tokensPerMinute().ifPresent(v -> item.put("tokens_per_minute", number(v)));
        limits.usdPerDay().ifPresent(v -> item.put("usd_per_day", AttributeValue.fromN(v.toPlainString())));
        limits.usdPerMonth().ifPresent(v -> item.put("usd_per_month", AttributeValue.fromN(v.toPlainString())));
        limits.overBudget().ifPresent(v -> item.put("over_budget", AttributeValue.fromS(v.text())));
        return item;
    }

    static LimitSet limits(Map<String, AttributeValue> item) {
        return new LimitSet(count(item, "requests_per_minute"), count(item, "tokens_per_minute"),
                usd(item, "usd_per_day"), usd(item, "usd_per_month"),
                Optional.ofNullable(item.get("over_budget")).map(AttributeValue::s).map(OverBudget::parse));
    }

    private static OptionalLong count(Map<String, AttributeValue> item, String name) {
        return item.containsKey(name) ? OptionalLong.of(longOf(item, name)) : OptionalLong.empty();
    }

    private static Optional<BigDecimal> usd(Map<String, AttributeValue> item, String name) {
        return Optional.ofNullable(item.get(name)).map(v -> new BigDecimal(v.n()).stripTrailingZeros());
    }

    /** Strongly consistent reads of many items, in batches, following up on keys DynamoDB left unprocessed. */
    List<Map<String, AttributeValue>> batchGet(DynamoDbClient dynamo, String table,
                                                List<Map<String, AttributeValue>> keys) {
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += MAX_KEYS_PER_BATCH) {
            List<Map<String, AttributeValue>> pending = keys.subList(from, Math.min(keys.size(), from + MAX_KEYS_PER_BATCH));
            for (int round = 0; !pending.isEmpty(); round++) {
                if (round == MAX_BATCH_ROUNDS) {
                    throw new io.cato.dependency.DependencyUnavailableException("dynamodb:" + table,
                            new IllegalStateException("keys left unprocessed after " + MAX_BATCH_ROUNDS + " rounds"));
                }
                var request = Map.of(table, KeysAndAttributes.builder().keys(pending).consistentRead(true).build());
                var response = DynamoDbErrors.call(table, () -> dynamo.batchGetItem(b -> b.requestItems(request)));
                found.addAll(response.responses().getOrDefault(table, List.of()));
                KeysAndAttributes left = response.unprocessedKeys().get(table);
                pending = left == null ? List.of() : left.keys();
            }
        }
        return found;
    }
}
