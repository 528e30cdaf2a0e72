package io.cato.aws.dynamodb;

import io.cato.cache.ExactCache;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The cache's exact tier in DynamoDB: one item per entry id (a digest of scope and question
 * form), expired by the table's TTL on {@code expires_at}. Reads are eventually consistent: a
 * just-stored answer may miss once, which only costs a model call. Purging a domain scans the
 * table with a filter; it is an operator action, not on the request path.
 */
public final class DynamoDbExactCache implements ExactCache {
    public static final String PK = "id";
    public static final String TTL = "expires_at";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbExactCache(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<Entry> get(String id, Instant now) {
        Map<String, AttributeValue> item = DynamoDbErrors.call("read the cache", () -> dynamo.getItem(r -> r
                .tableName(table).key(Map.of(PK, s(id))))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        Instant expires = Instant.ofEpochMilli(Long.parseLong(item.get("expires_ms").n()));
        if (!now.isBefore(expires)) {
            return Optional.empty(); // TTL deletion lags by up to days; expiry is decided here
        }
        return Optional.of(new Entry(id, item.get("domain").s(), item.get("answer").s(), text(item, "model"),
                text(item, "tier"), Instant.ofEpochMilli(Long.parseLong(item.get("created_ms").n())), expires));
    }

    @Override
    public void put(Entry entry) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(entry.id()));
        item.put("domain", s(entry.domain()));
        item.put("answer", s(entry.answer()));
        if (entry.model() != null) {
            item.put("model", s(entry.model()));
        }
        if (entry.tier() != null) {
            item.put("tier", s(entry.tier()));
        }
        item.put("created_ms", n(entry.createdAt().toEpochMilli()));
        item.put("expires_ms", n(entry.expiresAt().toEpochMilli()));
        item.put(TTL, n(entry.expiresAt().getEpochSecond()));
        DynamoDbErrors.call("write the cache", () -> dynamo.putItem(r -> r.tableName(table).item(item)));
    }

    @Override
    public boolean delete(String id) {
        var response = DynamoDbErrors.call("purge the cache", () -> dynamo.deleteItem(r -> r.tableName(table)
                .key(Map.of(PK, s(id))).returnValues(ReturnValue.ALL_OLD)));
        return response.hasAttributes() && !response.attributes().isEmpty();
    }

    @Override
    public long deleteDomain(String domain) {
        long deleted = 0;
        Map<String, AttributeValue> start = null;
        do {
            ScanRequest.Builder scan = ScanRequest.builder().tableName(table)
                    .filterExpression("#d = :d")
                    .expressionAttributeNames(Map.of("#d", "domain"))
                    .expressionAttributeValues(Map.of(":d", s(domain)))
                    .projectionExpression(PK);
            if (start != null) {
                scan.exclusiveStartKey(start);
            }
            ScanResponse page = DynamoDbErrors.call("purge the cache", () -> dynamo.scan(scan.build()));
            List<WriteRequest> deletes = new ArrayList<>();
            for (Map<String, AttributeValue> item : page.items()) {
                deletes.add(WriteRequest.builder()
                        .deleteRequest(DeleteRequest.builder().key(Map.of(PK, item.get(PK))).build()).build());
            }
            for (int i = 0; i < deletes.size(); i += 25) {
                writeAll(deletes.subList(i, Math.min(deletes.size(), i + 25)));
            }
            deleted += deletes.size();
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return deleted;
    }

    private void writeAll(List<WriteRequest> batch) {
        Map<String, List<WriteRequest>> pending = Map.of(table, batch);
        for (int attempt = 0; !pending.isEmpty() && !pending.getOrDefault(table, List.of()).isEmpty(); attempt++) {
            if (attempt > 8) {
                throw new IllegalStateException("DynamoDB kept throttling the cache purge");
            }
            Map<String, List<WriteRequest>> request = pending;
            pending = DynamoDbErrors.call("purge the cache", () -> dynamo.batchWriteItem(r -> r.requestItems(request)))
                    .unprocessedItems();
            if (!pending.isEmpty()) {
                try {
                    Thread.sleep(50L << attempt);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while purging the cache", e);
                }
            }
        }
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
