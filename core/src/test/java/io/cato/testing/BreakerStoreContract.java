package io.cato.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.cato.breaker.BreakerPolicy;
import io.cato.breaker.BreakerRecord;
import io.cato.breaker.BreakerRecord.Counts;
import io.cato.breaker.BreakerRecord.Phase;
import io.cato.breaker.BreakerState;
import io.cato.breaker.BreakerStore;
import io.cato.breaker.CircuitBreakers;
import io.cato.breaker.CircuitOpenException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What every {@link BreakerStore} must do; each adapter's test extends this. */
public abstract class BreakerStoreContract {
    // Now, not a fixed date: adapters may rely on real time (DynamoDB Local expires by TTL).
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final Instant bucket = now.minusSeconds(now.getEpochSecond() % 10);

    /** A store of its own for each test. */
    protected abstract BreakerStore store();

    @Test
    void read_ofUnseenTier_isClosedAtVersionZeroWithNothingCounted() {
        BreakerRecord record = store().read("never-seen");

        assertThat(record.state()).isEqualTo(BreakerState.CLOSED);
        assertThat(record.version()).isZero();
        assertThat(record.buckets()).isEmpty();
    }

    @Test
    void addCall_countsPerBucket_andReturnsTheRecordAfterTheAdd() {
        BreakerStore store = store();
        store.addCall("sonnet", bucket, true);
        store.addCall("sonnet", bucket, false);
        BreakerRecord after = store.addCall("sonnet", bucket.plusSeconds(10), true);

        assertThat(after.buckets()).containsEntry(bucket, new Counts(2, 1))
                .containsEntry(bucket.plusSeconds(10), new Counts(1, 1));
        assertThat(store.read("sonnet").buckets()).isEqualTo(after.buckets());
        assertThat(store.read("sonnet").state()).isEqualTo(BreakerState.CLOSED);
    }

    @Test
    void addCalls_addsManyCallsAndFailuresInOneWrite() {
        BreakerStore store = store();
        store.addCall("sonnet", bucket, true);
        BreakerRecord after = store.addCalls("sonnet", bucket, new Counts(250, 3));

        assertThat(after.buckets()).containsEntry(bucket, new Counts(251, 4));
        assertThat(store.read("sonnet").buckets()).isEqualTo(after.buckets());
    }

    @Test
    void transition_fromTheVersionRead_winsBumpsTheVersionAndKeepsTheCounts() {
        BreakerStore store = store();
        store.addCall("sonnet", bucket, true);
        Phase open = Phase.open(now);

        Optional<BreakerRecord> opened = store.transition("sonnet", 0, open, Set.of());

        assertThat(opened).isPresent();
        assertThat(store.read("sonnet")).satisfies(record -> {
            assertThat(record.phase()).isEqualTo(open);
            assertThat(record.version()).isEqualTo(1);
            assertThat(record.buckets()).containsEntry(bucket, new Counts(1, 1));
        });
        assertThat(opened.get()).isEqualTo(store.read("sonnet"));
    }

    @Test
    void transition_fromAStaleVersion_losesAndChangesNothing() {
        BreakerStore store = store();
        store.transition("sonnet", 0, Phase.open(now), Set.of());

        assertThat(store.transition("sonnet", 0, Phase.closed(now), Set.of())).isEmpty();
        assertThat(store.transition("sonnet", 5, Phase.closed(now), Set.of())).isEmpty();
        assertThat(store.read("sonnet").state()).isEqualTo(BreakerState.OPEN);
        assertThat(store.read("sonnet").version()).isEqualTo(1);
    }

    @Test
    void transition_keepsProbesAndLease() {
        BreakerStore store = store();
        Phase halfOpen = new Phase(BreakerState.HALF_OPEN, now, 2, now.plusSeconds(30));

        store.transition("sonnet", 0, halfOpen, Set.of());

        assertThat(store.read("sonnet").phase()).isEqualTo(halfOpen);
    }

    @Test
    void transition_dropsTheNamedBucketsOnly() {
        BreakerStore store = store();
        store.addCall("sonnet", bucket, true);
        store.addCall("sonnet", bucket.plusSeconds(10), false);

        store.transition("sonnet", 0, Phase.closed(now), Set.of(bucket));

        assertThat(store.read("sonnet").buckets()).containsOnlyKeys(bucket.plusSeconds(10));
    }

    @Test
    void discardBuckets_removesOnlyThoseNamed_andIgnoresUnknownTiers() {
        BreakerStore store = store();
        store.addCall("sonnet", bucket.minusSeconds(120), true);
        store.addCall("sonnet", bucket, true);

        store.discardBuckets("sonnet", Set.of(bucket.minusSeconds(120), bucket.minusSeconds(300)));
        store.discardBuckets("never-seen", Set.of(bucket));

        assertThat(store.read("sonnet").buckets()).containsOnlyKeys(bucket);
        assertThat(store.read("never-seen")).isEqualTo(BreakerRecord.unseen("never-seen"));
    }

    @Test
    void tiers_areIsolatedFromEachOther() {
        BreakerStore store = store();
        store.addCall("sonnet", bucket, true);
        store.transition("sonnet", 0, Phase.open(now), Set.of());

        assertThat(store.read("haiku")).isEqualTo(BreakerRecord.unseen("haiku"));
    }

    @Test
    void addCall_fromTwentyConcurrentWriters_losesNoCount() throws Exception {
        BreakerStore store = store();
        List<Callable<BreakerRecord>> writers = IntStream.range(0, 100)
                .<Callable<BreakerRecord>>mapToObj(i -> () -> store.addCall("sonnet", bucket, i % 5 < 2)).toList();
        try (var pool = Executors.newFixedThreadPool(20)) {
            for (Future<BreakerRecord> f : pool.invokeAll(writers)) {
                f.get();
            }
        }

        assertThat(store.read("sonnet").buckets()).containsEntry(bucket, new Counts(100, 40));
    }

    @Test
    void transition_racedByTenInstancesFromTheSameVersion_isWonOnce() throws Exception {
        BreakerStore store = store();
        List<Callable<Boolean>> racers = IntStream.range(0, 10)
                .<Callable<Boolean>>mapToObj(i -> () -> store.transition("sonnet", 0, Phase.open(now), Set.of())
                        .isPresent()).toList();
        long won = 0;
        try (var pool = Executors.newFixedThreadPool(10)) {
            for (Future<Boolean> f : pool.invokeAll(racers)) {
                won += f.get() ? 1 : 0;
            }
        }

        assertThat(won).isEqualTo(1);
        assertThat(store.read("sonnet").version()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void halfOpen_racedByTenInstances_grantsExactlyThePermittedProbes(int permitted) throws Exception {
        BreakerStore store = store();
        BreakerPolicy policy = BreakerPolicy.defaults().withPermittedProbes(permitted);
        store.transition("sonnet", 0, Phase.open(now.minus(policy.waitInOpen()).minusSeconds(1)), Set.of());
        MutableClock clock = new MutableClock(now);
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Boolean>> instances = IntStream.range(0, 10).<Callable<Boolean>>mapToObj(i -> {
            CircuitBreakers breakers = new CircuitBreakers(store, policy, clock);
            return () -> {
                start.await();
                try {
                    return breakers.acquire("sonnet").probe();
                } catch (CircuitOpenException refused) {
                    return false;
                }
            };
        }).toList();
        long probes = 0;
        try (var pool = Executors.newFixedThreadPool(10)) {
            List<Future<Boolean>> results = instances.stream().map(pool::submit).toList();
            start.countDown();
            for (Future<Boolean> f : results) {
                probes += f.get() ? 1 : 0;
            }
        }

        assertThat(probes).isEqualTo(permitted);
        assertThat(store.read("sonnet").phase().state()).isEqualTo(BreakerState.HALF_OPEN);
        assertThat(store.read("sonnet").phase().probesInFlight(now)).isEqualTo(permitted);
    }

    @Test
    void halfOpen_withTheProbeLeaseRunOut_grantsAnotherProbe() {
        BreakerStore store = store();
        BreakerPolicy policy = BreakerPolicy.defaults();
        MutableClock clock = new MutableClock(now);
        store.transition("sonnet", 0, Phase.open(now.minus(policy.waitInOpen())), Set.of());
        CircuitBreakers died = new CircuitBreakers(store, policy, clock);
        CircuitBreakers survivor = new CircuitBreakers(store, policy, clock);
        assertThat(died.acquire("sonnet").probe()).isTrue();

        boolean refusedWhileLeased = refused(survivor);
        clock.advance(policy.probeLease().plus(Duration.ofSeconds(1)));

        assertThat(refusedWhileLeased).isTrue();
        assertThat(survivor.acquire("sonnet").probe()).isTrue();
    }

    private static boolean refused(CircuitBreakers breakers) {
        try {
            breakers.acquire("sonnet");
            return false;
        } catch (CircuitOpenException e) {
            return true;
        }
    }
}
