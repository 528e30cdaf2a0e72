package io.cato.aws.dynamodb;

import io.cato.status.HealthCheck;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Reports whether a table can be reached (DescribeTable: read-only and cheap). */
public final class DynamoDbHealthCheck implements HealthCheck {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbHealthCheck(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public String name() {
        return "dynamodb:" + table;
    }

    @Override
    public String check() {
        return dynamo.describeTable(d -> d.tableName(table)).table().tableStatusAsString();
    }
}
