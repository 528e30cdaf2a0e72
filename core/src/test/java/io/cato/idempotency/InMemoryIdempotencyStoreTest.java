package io.cato.idempotency;

import io.cato.testing.IdempotencyStoreContract;
import java.time.Clock;
import java.time.Duration;

class InMemoryIdempotencyStoreTest extends IdempotencyStoreContract {
    private final InMemoryIdempotencyStore store = new InMemoryIdempotencyStore(Clock.systemUTC(), Duration.ofHours(1));

    @Override
    protected IdempotencyStore store() {
        return store;
    }
}
