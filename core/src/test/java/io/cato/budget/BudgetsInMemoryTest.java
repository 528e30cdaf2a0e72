package io.cato.budget;

import io.cato.testing.BudgetsContract;

class BudgetsInMemoryTest extends BudgetsContract {

    @Override
    protected BudgetStore store() {
        return new InMemoryBudgetStore();
    }
}
