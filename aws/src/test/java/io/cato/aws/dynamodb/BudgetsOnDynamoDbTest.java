package io.cato.aws.dynamodb;

import io.cato.aws.testing.DynamoDbLocal;
import io.cato.budget.BudgetStore;
import io.cato.testing.BudgetsContract;
import org.junit.jupiter.api.AfterAll;

/** Limits' windows, expiries and sharing, against DynamoDB Local through the real SDK. */
class BudgetsOnDynamoDbTest extends BudgetsContract {
    private static final DynamoDbLocal DYNAMO = new DynamoDbLocal();

    @AfterAll
    static void stop() {
        DYNAMO.close();
    }

    @Override
    protected BudgetStore store() {
        return new DynamoDbBudgetStore(DYNAMO.client(), DYNAMO.freshTables().budgets());
    }
}
