package io.cato.aws.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cato.dependency.DependencyUnavailableException;
import io.cato.idempotency.Claim;
import io.cato.idempotency.IdempotencyStore;
import io.cato.idempotency.StoredResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalInt;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.lambda.powertools.idempotency.IdempotencyConfig;
import software.amazon.lambda.powertools.idempotency.exceptions.IdempotencyItemAlreadyExistsException;
import software.amazon.lambda.powertools.idempotency.exceptions.IdempotencyItemNotFoundException;
import software.amazon.lambda.powertools.idempotency.exceptions.IdempotencyPersistenceLayerException;
import software.amazon.lambda.powertools.idempotency.exceptions.IdempotencyValidationException;
import software.amazon.lambda.powertools.idempotency.persistence.DataRecord;
import software.amazon.lambda.powertools.idempotency.persistence.DynamoDBPersistenceStore;

/**
 * Idempotency records kept by Powertools' DynamoDB persistence store (its table layout and
 * conditional writes), driven directly rather than through its aspect so it works the same in
 * Lambda and in the local server.
 *
 * <p>Powertools 1.15 writes the in-progress expiry in milliseconds but compares it with the
 * current time in seconds, so an abandoned claim would block its key for the whole window.
 * A claim found past its in-progress expiry is therefore removed here, conditionally on being
 * the very claim that was seen, and the key is claimed again.
 */
public final class PowertoolsIdempotencyStore implements IdempotencyStore {
    public static final String KEY_ATTR = "id";
    public static final String TTL_ATTR = "expiration";
    private static final String IN_PROGRESS_EXPIRY_ATTR = "in_progress_expiration";

    private final DynamoDBPersistenceStore store;
    private final DynamoDbClient dynamo;
    private final String table;
    private final ObjectMapper mapper;
    private final Clock clock;

    public PowertoolsIdempotencyStore(DynamoDbClient dynamo, String table, Duration window, ObjectMapper mapper,
                                      Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.mapper = mapper;
        this.clock = clock;
        this.store = DynamoDBPersistenceStore.builder().withTableName(table).withDynamoDbClient(dynamo).build();
        store.configure(IdempotencyConfig.builder()
                .withEventKeyJMESPath("key")
                .withPayloadValidationJMESPath("payload")
                .withExpiration(window)
                .build(), "cato");
    }

    @Override
    public Claim claim(String key, String payloadHash, Duration inProgressFor) {
        JsonNode data = data(key, payloadHash);
        for (int attempt = 0; attempt < 3; attempt++) {
            Instant now = clock.instant();
            try {
                store.saveInProgress(data, now, OptionalInt.of((int) inProgressFor.toMillis()));
                return new Claim.Acquired();
            } catch (IdempotencyItemAlreadyExistsException exists) {
                Claim found = existing(data, now);
                if (found != null) {
                    return found;
                }
            } catch (IdempotencyPersistenceLayerException | SdkException e) {
                throw unavailable(e);
            }
        }
        return new Claim.InProgress();
    }

    /** What holds the key, or null when the holder vanished or lapsed and a new claim may be tried. */
    private Claim existing(JsonNode data, Instant now) {
        DataRecord record;
        try {
            record = store.getRecord(data, now);
        } catch (IdempotencyValidationException mismatch) {
            return new Claim.PayloadMismatch();
        } catch (IdempotencyItemNotFoundException vanished) {
            return null;
        } catch (IdempotencyPersistenceLayerException | SdkException e) {
            throw unavailable(e);
        }
        if (record.getStatus() == DataRecord.Status.COMPLETED) {
            return new Claim.Completed(parse(record.getResponseData()));
        }
        var inProgressUntil = record.getInProgressExpiryTimestamp();
        if (inProgressUntil.isPresent() && inProgressUntil.getAsLong() < now.toEpochMilli()) {
            removeLapsedClaim(record.getIdempotencyKey(), inProgressUntil.getAsLong());
            return null;
        }
        return new Claim.InProgress();
    }

    private void removeLapsedClaim(String id, long seenExpiry) {
        try {
            dynamo.deleteItem(d -> d.tableName(table)
                    .key(Map.of(KEY_ATTR, AttributeValue.fromS(id)))
                    .conditionExpression("#ipe = :seen")
                    .expressionAttributeNames(Map.of("#ipe", IN_PROGRESS_EXPIRY_ATTR))
                    .expressionAttributeValues(Map.of(":seen", AttributeValue.fromN(Long.toString(seenExpiry)))));
        } catch (ConditionalCheckFailedException takenMeanwhile) {
            // Someone else removed or re-claimed it; the next claim attempt sees the new state.
        } catch (SdkException e) {
            throw unavailable(e);
        }
    }

    @Override
    public void complete(String key, String payloadHash, StoredResponse response) {
        try {
            store.saveSuccess(data(key, payloadHash), response, clock.instant());
        } catch (IdempotencyPersistenceLayerException | SdkException e) {
            throw unavailable(e);
        }
    }

    @Override
    public void release(String key, String payloadHash) {
        try {
            store.deleteRecord(data(key, payloadHash), new IllegalStateException("request failed"));
        } catch (IdempotencyPersistenceLayerException | SdkException e) {
            throw unavailable(e);
        }
    }

    private JsonNode data(String key, String payloadHash) {
        ObjectNode node = mapper.createObjectNode();
        node.put("key", key);
        node.put("payload", payloadHash);
        return node;
    }

    private StoredResponse parse(String json) {
        try {
            return mapper.readValue(json, StoredResponse.class);
        } catch (IOException e) {
            throw new DependencyUnavailableException("dynamodb:" + table, e);
        }
    }

    private DependencyUnavailableException unavailable(Exception e) {
        return new DependencyUnavailableException("dynamodb:" + table, e);
    }
}
