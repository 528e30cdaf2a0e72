package io.cato.aws.snapstart;

import static org.assertj.core.api.Assertions.assertThat;

import io.cato.config.Json;
import io.cato.aws.dynamodb.DynamoDbSemanticMemory;
import io.cato.aws.testing.DynamoDbLocal;
import io.cato.embedding.MiniLmTokenEncoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class SnapStartPrimingTest {
    private static final DynamoDbLocal DYNAMO = new DynamoDbLocal();

    @AfterAll
    static void stop() {
        DYNAMO.close();
    }

    @Test
    void primesEveryStepReadOnlyAndKeepsGoingWhenOneFails() {
        String memory = DYNAMO.freshTables().memory();
        try (MiniLmTokenEncoder embedder = MiniLmTokenEncoder.load(1)) {
            SnapStartPriming ready = SnapStartPriming.forWorkflow(DYNAMO.client(), memory, DynamoDbSemanticMemory.PK,
                    DynamoDbSemanticMemory.SK, Json.newMapper(), embedder);
            SnapStartPriming missingTable = SnapStartPriming.forWorkflow(DYNAMO.client(), "no-such-table",
                    DynamoDbSemanticMemory.PK, DynamoDbSemanticMemory.SK, Json.newMapper(), embedder);

            assertThat(ready.prime()).containsExactly("dynamodb", "json", "embedding");
            assertThat(missingTable.prime()).containsExactly("json", "embedding");
            assertThat(DYNAMO.client().scan(s -> s.tableName(memory)).count()).as("priming writes nothing").isZero();
        }
    }
}
