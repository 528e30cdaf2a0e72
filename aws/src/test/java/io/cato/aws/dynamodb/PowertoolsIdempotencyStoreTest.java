package io.cato.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import io.cato.config.Json;
import io.cato.aws.testing.DynamoDbLocal;
import io.cato.idempotency.Claim;
import io.cato.idempotency.IdempotencyStore;
import io.cato.testing.IdempotencyStoreContract;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PowertoolsIdempotencyStoreTest extends IdempotencyStoreContract {
    private static final DynamoDbLocal DYNAMO = new DynamoDbLocal();
    private PowertoolsIdempotencyStore store;
    private String table;

    @BeforeEach
    void freshTable() {
        table = DYNAMO.freshTables().idempotency();
        store = storeWithWindow(Duration.ofHours(1));
    }

    /** Powertools reads the system clock itself, so these tests run on real time, in short spans. */
    private PowertoolsIdempotencyStore storeWithWindow(Duration window) {
        return new PowertoolsIdempotencyStore(DYNAMO.client(), table, window, Json.newMapper(), Clock.systemUTC());
    }

    private static Claim eventually(java.util.function.Supplier<Claim> claim, Class<? extends Claim> wanted) {
        Instant deadline = Instant.now().plusSeconds(10);
        Claim last = claim.get();
        while (!wanted.isInstance(last) && Instant.now().isBefore(deadline)) {
            Thread.yield();
            last = claim.get();
        }
        return last;
    }

    @AfterAll
    static void stop() {
        DYNAMO.close();
    }

    @Override
    protected IdempotencyStore store() {
        return store;
    }

    @Test
    void abandonedClaim_lapsesAfterItsInProgressTime() {
        Instant claimed = Instant.now();
        store.claim("k-crashed", "h1", Duration.ofSeconds(2));
        Claim soon = store.claim("k-crashed", "h1", Duration.ofSeconds(2));
        Claim later = eventually(() -> store.claim("k-crashed", "h1", Duration.ofSeconds(2)), Claim.Acquired.class);

        assertThat(soon).isInstanceOf(Claim.InProgress.class);
        assertThat(later).isInstanceOf(Claim.Acquired.class);
        assertThat(Duration.between(claimed, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void completedRecord_expiresAfterTheWindow() {
        PowertoolsIdempotencyStore shortWindow = storeWithWindow(Duration.ofSeconds(2));
        shortWindow.claim("k-old", "h1", Duration.ofSeconds(30));
        shortWindow.complete("k-old", "h1", new io.cato.idempotency.StoredResponse(200, "application/json", "{}"));

        assertThat(shortWindow.claim("k-old", "h1", Duration.ofSeconds(30))).isInstanceOf(Claim.Completed.class);
        assertThat(eventually(() -> shortWindow.claim("k-old", "h1", Duration.ofSeconds(30)), Claim.Acquired.class))
                .isInstanceOf(Claim.Acquired.class);
    }

    @Test
    void records_useThePowertoolsTableLayout() {
        store.claim("k-layout", "h1", Duration.ofSeconds(30));

        var items = DYNAMO.client().scan(s -> s.tableName(table)).items();
        assertThat(items).hasSize(1);
        assertThat(items.getFirst()).containsKeys("id", "expiration", "status", "in_progress_expiration", "validation");
        assertThat(items.getFirst().get("status").s()).isEqualTo("INPROGRESS");
    }
}
