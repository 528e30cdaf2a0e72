package io.cato.aws.dynamodb;

import io.cato.breaker.BreakerRecord;
import io.cato.breaker.BreakerRecord.Counts;
import io.cato.breaker.BreakerRecord.Phase;
import io.cato.breaker.BreakerState;
import io.cato.breaker.BreakerStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkPlugin;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Breaker state in DynamoDB, one item per tier (partition key {@code tier}). Call counts are
 * top-level number attributes per bucket ({@code calls_<epoch second>}, {@code failures_<...>})
 * bumped with an atomic {@code ADD}, so concurrent writers never lose a count and never contend
 * with state changes. The state attributes change only under a condition on {@code version}.
 * Every write returns the item as it is afterwards, so a caller learns the shared state for free.
 * Buckets that leave the window are removed by their readers; the item has no TTL because the
 * state of a tier must outlive any quiet spell.
 *
 * <p>An {@code ADD} is not idempotent: retried after a timeout or a server error it may count a
 * call twice. Counts are therefore written at most once: only a throttled add (which DynamoDB
 * did not apply) is retried, and the one attempt may take the whole call timeout. A count lost to
 * an outage is harmless to a failure rate; doubled failures could trip a breaker.
 */
public final class DynamoDbBreakerStore implements BreakerStore {
    public static final String PK = "tier";
    private static final String STATE = "state";
    private static final String VERSION = "version";
    private static final String SINCE = "since_ms";
    private static final String PROBES = "probes";
    private static final String PROBE_LEASE = "probe_lease_until_ms";
    private static final String CALLS = "calls_";
    private static final String FAILURES = "failures_";

    private static final SdkPlugin COUNT_AT_MOST_ONCE = config -> {
        var override = config.overrideConfiguration().toBuilder()
                .retryStrategy(DefaultRetryStrategy.standardStrategyBuilder()
                        .retryOnException(e -> e instanceof AwsServiceException aws && aws.isThrottlingException())
                        .build());
        config.overrideConfiguration().apiCallTimeout().ifPresent(override::apiCallAttemptTimeout);
        config.overrideConfiguration(override.build());
    };

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbBreakerStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public BreakerRecord read(String tier) {
        var response = DynamoDbErrors.call(table, () -> dynamo.getItem(g -> g.tableName(table)
                .key(key(tier)).consistentRead(true)));
        return response.hasItem() ? toRecord(tier, response.item()) : BreakerRecord.unseen(tier);
    }

    @Override
    public BreakerRecord addCalls(String tier, Instant bucketStart, BreakerRecord.Counts counts) {
        long bucket = bucketStart.getEpochSecond();
        var response = DynamoDbErrors.call(table, () -> dynamo.updateItem(u -> u.tableName(table)
                .key(key(tier))
                .updateExpression("ADD #calls :calls, #failures :failed")
                .expressionAttributeNames(Map.of("#calls", CALLS + bucket, "#failures", FAILURES + bucket))
                .expressionAttributeValues(Map.of(":calls", number(counts.calls()), ":failed", number(counts.failures())))
                .returnValues(ReturnValue.ALL_NEW)
                .overrideConfiguration(o -> o.addPlugin(COUNT_AT_MOST_ONCE))));
        return toRecord(tier, response.attributes());
    }

    @Override
    public Optional<BreakerRecord> transition(String tier, long expectedVersion, Phase next, Set<Instant> dropBuckets) {
        Map<String, String> names = new HashMap<>(Map.of("#state", STATE, "#since", SINCE, "#probes", PROBES,
                "#lease", PROBE_LEASE, "#version", VERSION));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":state", AttributeValue.fromS(next.state().name()),
                ":since", number(next.since().toEpochMilli()),
                ":probes", number(next.probes()),
                ":lease", number(next.probeLeaseUntil().toEpochMilli()),
                ":next", number(expectedVersion + 1)));
        String condition = "attribute_not_exists(#version)";
        if (expectedVersion > 0) {
            condition = "#version = :expected";
            values.put(":expected", number(expectedVersion));
        }
        String update = "SET #state = :state, #since = :since, #probes = :probes, #lease = :lease, #version = :next"
                + removal(dropBuckets, names);
        String finalCondition = condition;
        try {
            var response = DynamoDbErrors.call(table, () -> dynamo.updateItem(u -> u.tableName(table)
                    .key(key(tier))
                    .updateExpression(update)
                    .conditionExpression(finalCondition)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW)));
            return Optional.of(toRecord(tier, response.attributes()));
        } catch (ConditionalCheckFailedException changedMeanwhile) {
            return Optional.empty();
        }
    }

    @Override
    public void discardBuckets(String tier, Set<Instant> bucketStarts) {
        if (bucketStarts.isEmpty()) {
            return;
        }
        Map<String, String> names = new HashMap<>(Map.of("#pk", PK));
        String update = removal(bucketStarts, names).strip();
        try {
            DynamoDbErrors.call(table, () -> dynamo.updateItem(u -> u.tableName(table)
                    .key(key(tier))
                    .updateExpression(update)
                    .conditionExpression("attribute_exists(#pk)")
                    .expressionAttributeNames(names)));
        } catch (ConditionalCheckFailedException gone) {
            // No item, so nothing to remove.
        }
    }

    /** A {@code REMOVE} clause for the buckets' attributes, registering their names; empty for none. */
    private static String removal(Set<Instant> buckets, Map<String, String> names) {
        if (buckets.isEmpty()) {
            return "";
        }
        StringBuilder clause = new StringBuilder(" REMOVE ");
        int i = 0;
        for (Instant start : buckets) {
            long bucket = start.getEpochSecond();
            names.put("#dc" + i, CALLS + bucket);
            names.put("#df" + i, FAILURES + bucket);
            clause.append(i == 0 ? "" : ", ").append("#dc").append(i).append(", #df").append(i);
            i++;
        }
        return clause.toString();
    }

    private static BreakerRecord toRecord(String tier, Map<String, AttributeValue> item) {
        var buckets = new TreeMap<Instant, Counts>();
        item.forEach((name, value) -> {
            if (name.startsWith(CALLS)) {
                String bucket = name.substring(CALLS.length());
                AttributeValue failures = item.get(FAILURES + bucket);
                buckets.put(Instant.ofEpochSecond(Long.parseLong(bucket)), new Counts(Long.parseLong(value.n()),
                        failures == null ? 0 : Long.parseLong(failures.n())));
            }
        });
        if (!item.containsKey(VERSION)) {
            return BreakerRecord.unseen(tier).withBuckets(buckets);
        }
        Phase phase = new Phase(BreakerState.valueOf(item.get(STATE).s()), millis(item, SINCE),
                (int) Long.parseLong(item.get(PROBES).n()), millis(item, PROBE_LEASE));
        return new BreakerRecord(tier, phase, Long.parseLong(item.get(VERSION).n()), buckets);
    }

    private static Instant millis(Map<String, AttributeValue> item, String name) {
        return Instant.ofEpochMilli(Long.parseLong(item.get(name).n()));
    }

    private static Map<String, AttributeValue> key(String tier) {
        return Map.of(PK, AttributeValue.fromS(tier));
    }

    private static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
