package io.cato.aws.dynamodb;

import io.cato.config.Settings;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The tables Cato needs, with the key schema and TTL attribute that template.yaml declares.
 * In AWS the template creates them; the embedded default and the tests create them here.
 */
public final class CatoTables {
    private CatoTables() {
    }

    public static void createIfMissing(DynamoDbClient dynamo, Settings.Tables tables) {
        create(dynamo, tables.sessions(), List.of(
                key(DynamoDbSessionStore.PK, KeyType.HASH, ScalarAttributeType.S),
                key(DynamoDbSessionStore.SK, KeyType.RANGE, ScalarAttributeType.N)), DynamoDbSessionStore.TTL);
        create(dynamo, tables.idempotency(), List.of(
                key(PowertoolsIdempotencyStore.KEY_ATTR, KeyType.HASH, ScalarAttributeType.S)),
                PowertoolsIdempotencyStore.TTL_ATTR);
        create(dynamo, tables.cache(), List.of(
                key(DynamoDbExactCache.PK, KeyType.HASH, ScalarAttributeType.S)), DynamoDbExactCache.TTL);
        create(dynamo, tables.breakers(), List.of(
                key(DynamoDbBreakerStore.PK, KeyType.HASH, ScalarAttributeType.S)), null);
        create(dynamo, tables.memory(), List.of(
                key(DynamoDbSemanticMemory.PK, KeyType.HASH, ScalarAttributeType.S),
                key(DynamoDbSemanticMemory.SK, KeyType.RANGE, ScalarAttributeType.S)), null);
        create(dynamo, tables.budgets(), List.of(
                key(DynamoDbBudgetStore.PK, KeyType.HASH, ScalarAttributeType.S),
                key(DynamoDbBudgetStore.SK, KeyType.RANGE, ScalarAttributeType.S)), DynamoDbBudgetStore.TTL);
    }

    private record Key(String name, KeyType type, ScalarAttributeType attributeType) {
    }

    private static Key key(String name, KeyType type, ScalarAttributeType attributeType) {
        return new Key(name, type, attributeType);
    }

    /** @param ttlAttribute the attribute DynamoDB expires items by; null for a table without TTL */
    private static void create(DynamoDbClient dynamo, String table, List<Key> keys, String ttlAttribute) {
        try {
            dynamo.createTable(CreateTableRequest.builder()
                    .tableName(table)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(keys.stream().map(k -> KeySchemaElement.builder()
                            .attributeName(k.name()).keyType(k.type()).build()).toList())
                    .attributeDefinitions(keys.stream().map(k -> AttributeDefinition.builder()
                            .attributeName(k.name()).attributeType(k.attributeType()).build()).toList())
                    .build());
            dynamo.waiter().waitUntilTableExists(w -> w.tableName(table));
            if (ttlAttribute != null) {
                dynamo.updateTimeToLive(u -> u.tableName(table)
                        .timeToLiveSpecification(s -> s.attributeName(ttlAttribute).enabled(true)));
            }
        } catch (ResourceInUseException exists) {
            // Created by an earlier start: the data in it is what we want to keep.
        }
    }
}
