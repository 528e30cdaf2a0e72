package io.cato.aws.dynamodb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.curiosity.IngestionReport;
import io.cato.curiosity.IngestionLedger;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The curiosity ingestion ledger in the semantic memory table, under a partition of its own (as
 * the watermarks are): one item per ingested batch job, written only if absent, holding the
 * report, failed records included, so a failure reported once is kept.
 */
public final class DynamoDbIngestionLedger implements IngestionLedger {
    static final String INGESTED_JOBS = "#curiosity-ingested";

    private final DynamoDbClient dynamo;
    private final String table;
    private final ObjectMapper mapper;
    private final Clock clock;

    public DynamoDbIngestionLedger(DynamoDbClient dynamo, String table, ObjectMapper mapper, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.mapper = mapper;
        this.clock = clock;
    }

    @Override
    public Optional<IngestionReport> find(String jobArn) {
        var item = DynamoDbErrors.call(table, () -> dynamo.getItem(g -> g.tableName(table).consistentRead(true)
                .key(key(jobArn))));
        if (!item.hasItem() || !item.item().containsKey("report")) {
            return Optional.empty();
        }
        try {
            return Optional.of(mapper.readValue(item.item().get("report").s(), IngestionReport.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable ingestion report for " + jobArn, e);
        }
    }

    @Override
    public boolean record(IngestionReport report) {
        String json;
        try {
            json = mapper.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Map<String, AttributeValue> item = new java.util.HashMap<>(key(report.jobArn()));
        item.put("report", AttributeValue.fromS(json));
        item.put("ingested_at", AttributeValue.fromS(clock.instant().toString()));
        try {
            DynamoDbErrors.call(table, () -> dynamo.putItem(p -> p.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#sk)")
                    .expressionAttributeNames(Map.of("#sk", DynamoDbSemanticMemory.SK))));
            return true;
        } catch (ConditionalCheckFailedException exists) {
            return false;
        }
    }

    private static Map<String, AttributeValue> key(String jobArn) {
        return Map.of(DynamoDbSemanticMemory.PK, AttributeValue.fromS(INGESTED_JOBS),
                DynamoDbSemanticMemory.SK, AttributeValue.fromS(jobArn));
    }
}
