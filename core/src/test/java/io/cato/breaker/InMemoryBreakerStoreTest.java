package io.cato.breaker;

import io.cato.testing.BreakerStoreContract;

class InMemoryBreakerStoreTest extends BreakerStoreContract {

    @Override
    protected BreakerStore store() {
        return new InMemoryBreakerStore();
    }
}
