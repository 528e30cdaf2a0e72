package io.cato.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.cato.idempotency.Claim;
import io.cato.idempotency.IdempotencyStore;
import io.cato.idempotency.StoredResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What every {@link IdempotencyStore} must do; each adapter's test extends this. */
public abstract class IdempotencyStoreContract {
    private static final Duration IN_PROGRESS = Duration.ofSeconds(30);

    protected abstract IdempotencyStore store();

    @Test
    void claim_ofNewKey_isAcquired() {
        assertThat(store().claim("k-new", "h1", IN_PROGRESS)).isInstanceOf(Claim.Acquired.class);
    }

    @Test
    void claim_whileFirstIsUnfinished_isInProgress() {
        IdempotencyStore store = store();
        store.claim("k-busy", "h1", IN_PROGRESS);
        assertThat(store.claim("k-busy", "h1", IN_PROGRESS)).isInstanceOf(Claim.InProgress.class);
    }

    @Test
    void claim_afterCompletion_returnsTheStoredResponse() {
        IdempotencyStore store = store();
        store.claim("k-done", "h1", IN_PROGRESS);
        store.complete("k-done", "h1", new StoredResponse(200, "application/json", "{\"a\":1}"));

        assertThat(store.claim("k-done", "h1", IN_PROGRESS))
                .isEqualTo(new Claim.Completed(new StoredResponse(200, "application/json", "{\"a\":1}")));
    }

    @Test
    void claim_withDifferentPayload_isMismatch() {
        IdempotencyStore store = store();
        store.claim("k-mismatch", "h1", IN_PROGRESS);
        store.complete("k-mismatch", "h1", new StoredResponse(200, "application/json", "{}"));

        assertThat(store.claim("k-mismatch", "h2", IN_PROGRESS)).isInstanceOf(Claim.PayloadMismatch.class);
    }

    @Test
    void release_letsTheNextClaimAcquire() {
        IdempotencyStore store = store();
        store.claim("k-retry", "h1", IN_PROGRESS);
        store.release("k-retry", "h1");

        assertThat(store.claim("k-retry", "h1", IN_PROGRESS)).isInstanceOf(Claim.Acquired.class);
    }

    @Test
    void claim_byTwentyConcurrentRequests_isAcquiredExactlyOnce() throws Exception {
        IdempotencyStore store = store();
        List<Callable<Claim>> claims = IntStream.range(0, 20)
                .<Callable<Claim>>mapToObj(i -> () -> store.claim("k-race", "h1", IN_PROGRESS)).toList();
        long acquired;
        try (var pool = Executors.newFixedThreadPool(20)) {
            acquired = 0;
            for (Future<Claim> f : pool.invokeAll(claims)) {
                acquired += f.get() instanceof Claim.Acquired ? 1 : 0;
            }
        }
        assertThat(acquired).isEqualTo(1);
    }
}
