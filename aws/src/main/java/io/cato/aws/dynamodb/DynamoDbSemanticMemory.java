package io.cato.aws.dynamodb;

import io.cato.memory.Fact;
import io.cato.memory.SemanticMemory;
import io.cato.memory.Watermarks;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Semantic memory in DynamoDB (a global table in AWS): partition key the tenant's domain, sort
 * key the fact's id, so a domain's facts are one query and a fact is written only if its id is
 * free. The same table keeps the workflows' watermarks under a partition of their own, moved
 * with conditional writes so two runs cannot both advance one.
 */
public final class DynamoDbSemanticMemory implements SemanticMemory, Watermarks {
    public static final String PK = "scope";
    public static final String SK = "id";
    static final String WATERMARKS = "#watermark";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbSemanticMemory(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public boolean add(Fact fact) {
        try {
            DynamoDbErrors.call(table, () -> dynamo.putItem(p -> p.tableName(table).item(toItem(fact))
                    .conditionExpression("attribute_not_exists(#sk)")
                    .expressionAttributeNames(Map.of("#sk", SK))));
            return true;
        } catch (ConditionalCheckFailedException exists) {
            return false;
        }
    }

    @Override
    public List<Fact> inDomain(String tenant, String domain, int limit) {
        List<Fact> facts = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = DynamoDbErrors.call(table, () -> dynamo.query(q -> q.tableName(table)
                    .keyConditionExpression("#pk = :pk")
                    .expressionAttributeNames(Map.of("#pk", PK))
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Fact.scope(tenant, domain))))
                    .exclusiveStartKey(from)
                    .limit(limit - facts.size())));
            page.items().forEach(item -> facts.add(toFact(item)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null && facts.size() < limit);
        return facts;
    }

    @Override
    public Optional<Fact> get(String tenant, String domain, String id) {
        var item = DynamoDbErrors.call(table, () -> dynamo.getItem(g -> g.tableName(table).consistentRead(true)
                .key(Map.of(PK, AttributeValue.fromS(Fact.scope(tenant, domain)), SK, AttributeValue.fromS(id)))));
        return item.hasItem() && !item.item().isEmpty() ? Optional.of(toFact(item.item())) : Optional.empty();
    }

    @Override
    public Optional<Instant> get(String workflow) {
        var item = DynamoDbErrors.call(table, () -> dynamo.getItem(g -> g.tableName(table).consistentRead(true)
                .key(Map.of(PK, AttributeValue.fromS(WATERMARKS), SK, AttributeValue.fromS(workflow)))));
        return item.hasItem() && item.item().containsKey("at")
                ? Optional.of(Instant.parse(item.item().get("at").s())) : Optional.empty();
    }

    @Override
    public boolean advance(String workflow, Optional<Instant> expected, Instant to) {
        if (expected.filter(e -> !to.isAfter(e)).isPresent()) {
            return false;
        }
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        String condition = "attribute_not_exists(#sk)";
        if (expected.isEmpty()) {
            names.put("#sk", SK);
        } else {
            names.put("#at", "at");
            values.put(":expected", AttributeValue.fromS(expected.get().toString()));
            condition = "#at = :expected";
        }
        String finalCondition = condition;
        try {
            DynamoDbErrors.call(table, () -> dynamo.putItem(p -> p.tableName(table)
                    .item(Map.of(PK, AttributeValue.fromS(WATERMARKS), SK, AttributeValue.fromS(workflow),
                            "at", AttributeValue.fromS(to.toString())))
                    .conditionExpression(finalCondition)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values.isEmpty() ? null : values)));
            return true;
        } catch (ConditionalCheckFailedException moved) {
            return false;
        }
    }

    private static Map<String, AttributeValue> toItem(Fact fact) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, AttributeValue.fromS(Fact.scope(fact.tenant(), fact.domain())));
        item.put(SK, AttributeValue.fromS(fact.id()));
        item.put("tenant", AttributeValue.fromS(fact.tenant()));
        item.put("domain", AttributeValue.fromS(fact.domain()));
        item.put("statement", AttributeValue.fromS(fact.statement()));
        item.put("source", AttributeValue.fromS(fact.source()));
        item.put("source_ref", AttributeValue.fromS(fact.sourceRef()));
        item.put("confidence", AttributeValue.fromN(Double.toString(fact.confidence())));
        item.put("created_at", AttributeValue.fromS(fact.createdAt().toString()));
        item.put("updated_at", AttributeValue.fromS(fact.updatedAt().toString()));
        item.put("vector", AttributeValue.fromB(SdkBytes.fromByteArray(toBytes(fact.vector()))));
        item.put("contradicts", AttributeValue.fromL(fact.contradicts().stream().map(AttributeValue::fromS).toList()));
        return item;
    }

    private static Fact toFact(Map<String, AttributeValue> item) {
        return Fact.builder().id(item.get(SK).s()).tenant(item.get("tenant").s()).domain(item.get("domain").s())
                .statement(item.get("statement").s()).source(item.get("source").s())
                .sourceRef(item.get("source_ref").s()).confidence(Double.parseDouble(item.get("confidence").n()))
                .createdAt(Instant.parse(item.get("created_at").s()))
                .updatedAt(Instant.parse(item.get("updated_at").s()))
                .vector(toFloats(item.get("vector").b().asByteArray()))
                .contradicts(item.get("contradicts").l().stream().map(AttributeValue::s).toList()).build();
    }

    private static byte[] toBytes(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(vector);
        return buffer.array();
    }

    private static float[] toFloats(byte[] bytes) {
        float[] vector = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
        return vector;
    }
}
