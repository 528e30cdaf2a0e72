package io.cato.budget;

import io.cato.testing.BudgetStoreContract;

class InMemoryBudgetStoreTest extends BudgetStoreContract {

    @Override
    protected BudgetStore store() {
        return new InMemoryBudgetStore();
    }
}
