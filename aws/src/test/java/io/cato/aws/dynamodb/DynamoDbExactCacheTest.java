package io.cato.aws.dynamodb;

import io.cato.aws.testing.DynamoDbLocal;
import io.cato.cache.ExactCache;
import io.cato.testing.ExactCacheContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;

class DynamoDbExactCacheTest extends ExactCacheContract {
    private static final DynamoDbLocal DYNAMO = new DynamoDbLocal();
    private DynamoDbExactCache cache;

    @BeforeEach
    void freshTable() {
        cache = new DynamoDbExactCache(DYNAMO.client(), DYNAMO.freshTables().cache());
    }

    @AfterAll
    static void stop() {
        DYNAMO.close();
    }

    @Override
    protected ExactCache cache() {
        return cache;
    }
}
