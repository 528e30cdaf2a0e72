package io.cato.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cato.dependency.DependencyUnavailableException;
import io.cato.model.ModelFailure;
import io.cato.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CircuitBreakersTest {
    private static final String SONNET = "bedrock_sonnet";
    private static final ModelFailure THROTTLED = new ModelFailure.Throttled("429");
    private final BreakerPolicy policy = BreakerPolicy.defaults();
    private final MutableClock clock = new MutableClock();
    private final InMemoryBreakerStore store = new InMemoryBreakerStore();
    private final CircuitBreakers breakers = new CircuitBreakers(store, policy, clock);

    private void fail(CircuitBreakers on, int times, ModelFailure failure) {
        for (int i = 0; i < times; i++) {
            on.onFailure(on.acquire(SONNET), failure);
        }
    }

    private void succeed(CircuitBreakers on, int times) {
        for (int i = 0; i < times; i++) {
            on.onSuccess(on.acquire(SONNET), Duration.ofMillis(200));
        }
    }

    private BreakerState state() {
        return store.read(SONNET).state();
    }

    @Test
    void fiveFailures_openTheBreaker_andCallsAreRefused() {
        fail(breakers, 5, THROTTLED);

        assertThat(state()).isEqualTo(BreakerState.OPEN);
        assertThatThrownBy(() -> breakers.acquire(SONNET)).isInstanceOf(CircuitOpenException.class)
                .hasMessageContaining("circuit open for " + SONNET);
    }

    @Test
    void fewerCallsThanTheMinimum_neverOpen_evenIfAllFailed() {
        fail(breakers, 4, new ModelFailure.Unavailable("503"));

        assertThat(state()).isEqualTo(BreakerState.CLOSED);
        assertThat(breakers.acquire(SONNET).probe()).isFalse();
    }

    @Test
    void failureRateBelowTheThreshold_staysClosed() {
        succeed(breakers, 6);
        fail(breakers, 5, new ModelFailure.TimedOut("20 s"));

        assertThat(state()).isEqualTo(BreakerState.CLOSED);
        fail(breakers, 1, THROTTLED);
        assertThat(state()).isEqualTo(BreakerState.OPEN);
    }

    @Test
    void contextTooLongAndRefusals_areNotTheTiersFault_andAreNotCounted() {
        fail(breakers, 5, new ModelFailure.ContextTooLong("400"));
        fail(breakers, 5, new ModelFailure.Refused("content policy"));

        assertThat(state()).isEqualTo(BreakerState.CLOSED);
        assertThat(breakers.view(SONNET).window().calls()).isZero();
    }

    @Test
    void slowSuccesses_countAsFailures() {
        for (int i = 0; i < 5; i++) {
            breakers.onSuccess(breakers.acquire(SONNET), policy.slowCallDuration());
        }

        assertThat(state()).isEqualTo(BreakerState.OPEN);
    }

    @Test
    void failuresOlderThanTheWindow_areForgotten_andTheirBucketsRemoved() {
        fail(breakers, 4, THROTTLED);
        clock.advance(policy.window());
        fail(breakers, 1, THROTTLED);

        assertThat(state()).isEqualTo(BreakerState.CLOSED);
        assertThat(breakers.view(SONNET).window()).isEqualTo(new BreakerRecord.Counts(1, 1));
        assertThat(store.read(SONNET).buckets()).hasSize(1);
    }

    @Test
    void open_refusesUntilTheWait_thenGrantsOneProbe_whichClosesOnSuccess() {
        fail(breakers, 5, THROTTLED);
        clock.advance(policy.waitInOpen().minusSeconds(1));
        assertThatThrownBy(() -> breakers.acquire(SONNET)).isInstanceOf(CircuitOpenException.class);

        clock.advance(Duration.ofSeconds(1));
        CircuitBreakers.Permit probe = breakers.acquire(SONNET);
        assertThat(probe.probe()).isTrue();
        assertThat(state()).isEqualTo(BreakerState.HALF_OPEN);
        assertThatThrownBy(() -> breakers.acquire(SONNET)).isInstanceOf(CircuitOpenException.class);

        breakers.onSuccess(probe, Duration.ofMillis(300));
        assertThat(state()).isEqualTo(BreakerState.CLOSED);
        assertThat(breakers.view(SONNET).window().calls()).isZero();
        assertThat(breakers.acquire(SONNET).probe()).isFalse();
    }

    @Test
    void failedProbe_reopensForAnotherFullWait() {
        fail(breakers, 5, THROTTLED);
        clock.advance(policy.waitInOpen());
        breakers.onFailure(breakers.acquire(SONNET), new ModelFailure.Unavailable("503"));

        assertThat(state()).isEqualTo(BreakerState.OPEN);
        assertThat(store.read(SONNET).phase().since()).isEqualTo(clock.instant());
        clock.advance(policy.waitInOpen().minusSeconds(1));
        assertThatThrownBy(() -> breakers.acquire(SONNET)).isInstanceOf(CircuitOpenException.class);
    }

    @Test
    void slowProbe_reopens() {
        fail(breakers, 5, THROTTLED);
        clock.advance(policy.waitInOpen());

        breakers.onSuccess(breakers.acquire(SONNET), policy.slowCallDuration().plusSeconds(1));

        assertThat(state()).isEqualTo(BreakerState.OPEN);
    }

    @Test
    void anotherInstance_seesTheTrip_onceItsLocalCopyExpires() {
        CircuitBreakers other = new CircuitBreakers(store, policy, clock);
        assertThat(other.acquire(SONNET).probe()).isFalse();

        fail(breakers, 5, THROTTLED);
        boolean permittedFromItsCopy = permitted(other);
        clock.advance(policy.localCacheTtl());

        assertThat(permittedFromItsCopy).isTrue();
        assertThat(permitted(other)).isFalse();
    }

    @Test
    void anOutcomeRecordedByAnotherInstance_refreshesItsCopyAtOnce() {
        CircuitBreakers other = new CircuitBreakers(store, policy, clock);
        CircuitBreakers.Permit inFlight = other.acquire(SONNET);
        fail(breakers, 5, THROTTLED);

        other.onFailure(inFlight, THROTTLED);

        assertThat(permitted(other)).isFalse();
    }

    @Test
    void successes_areWrittenOncePerCacheTtl_andPendingOnesGoWithTheNextFailure() {
        // At the start of a bucket, so that every outcome below falls into the same one.
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        CountingStore counting = new CountingStore(store);
        CircuitBreakers batching = new CircuitBreakers(counting, policy, clock);

        succeed(batching, 100);
        assertThat(counting.adds.get()).isEqualTo(1);
        assertThat(store.read(SONNET).countsSince(Instant.EPOCH)).isEqualTo(new BreakerRecord.Counts(1, 0));
        assertThat(batching.view(SONNET).window()).isEqualTo(new BreakerRecord.Counts(100, 0));

        batching.onFailure(batching.acquire(SONNET), THROTTLED);
        assertThat(counting.adds.get()).isEqualTo(2);
        assertThat(store.read(SONNET).countsSince(Instant.EPOCH)).isEqualTo(new BreakerRecord.Counts(101, 1));

        succeed(batching, 10);
        clock.advance(policy.localCacheTtl());
        succeed(batching, 1);
        assertThat(counting.adds.get()).isEqualTo(3);
        assertThat(store.read(SONNET).countsSince(Instant.EPOCH)).isEqualTo(new BreakerRecord.Counts(112, 1));
    }

    @Test
    void failuresAreWrittenAtOnce_soThoseOfTwoInstancesAddUp() {
        CircuitBreakers other = new CircuitBreakers(store, policy, clock);
        CircuitBreakers third = new CircuitBreakers(store, policy, clock);
        assertThat(permitted(third)).isTrue();

        fail(breakers, 3, THROTTLED);
        fail(other, 2, THROTTLED);
        clock.advance(policy.localCacheTtl());

        assertThat(state()).isEqualTo(BreakerState.OPEN);
        assertThat(permitted(third)).isFalse();
    }

    @Test
    void aBurstOfConcurrentFailures_isAddedUpInAFewWrites_andNoneIsLost() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        BreakerPolicy lenient = BreakerPolicy.builder().failureRateThresholdPercent(100).window(policy.window())
                .bucket(policy.bucket()).minimumNumberOfCalls(1_000).slowCallDuration(policy.slowCallDuration())
                .waitInOpen(policy.waitInOpen()).permittedProbes(1).probeLease(policy.probeLease())
                .localCacheTtl(policy.localCacheTtl()).build();
        CountingStore slow = new CountingStore(store) {
            @Override
            public BreakerRecord addCalls(String tier, Instant bucketStart, BreakerRecord.Counts counts) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.addCalls(tier, bucketStart, counts);
            }
        };
        CircuitBreakers shared = new CircuitBreakers(slow, lenient, clock);
        shared.acquire(SONNET);

        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var calls = java.util.stream.IntStream.range(0, 200).mapToObj(i -> pool.submit(
                    () -> shared.onFailure(shared.acquire(SONNET), THROTTLED))).toList();
            for (var call : calls) {
                call.get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        }

        assertThat(store.read(SONNET).countsSince(Instant.EPOCH)).isEqualTo(new BreakerRecord.Counts(200, 200));
        assertThat(slow.adds.get()).isLessThan(50);
    }

    @Test
    void aWriteThatFailsAfterItsAdd_doesNotStopLaterOutcomesFromBeingWritten() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        java.util.concurrent.atomic.AtomicBoolean discardFails = new java.util.concurrent.atomic.AtomicBoolean(true);
        CountingStore flaky = new CountingStore(store) {
            @Override
            public void discardBuckets(String tier, Set<Instant> bucketStarts) {
                if (discardFails.getAndSet(false)) {
                    throw new DependencyUnavailableException("breakers", new IllegalStateException("timed out"));
                }
                super.discardBuckets(tier, bucketStarts);
            }
        };
        CircuitBreakers breakers = new CircuitBreakers(flaky, policy, clock);
        fail(breakers, 1, THROTTLED);
        clock.advance(policy.window());

        fail(breakers, 1, THROTTLED);
        fail(breakers, 1, THROTTLED);

        assertThat(discardFails).isFalse();
        assertThat(flaky.adds.get()).isEqualTo(3);
        assertThat(store.read(SONNET).countsSince(Instant.EPOCH)).isEqualTo(new BreakerRecord.Counts(2, 2));
    }

    @Test
    void anExpiredCopy_isReadAgainByOneCall_whileTheOthersUseTheCopy() throws Exception {
        CountingStore counting = new CountingStore(store);
        CircuitBreakers shared = new CircuitBreakers(counting, policy, clock);
        shared.acquire(SONNET);
        clock.advance(policy.localCacheTtl());
        var reading = new java.util.concurrent.CountDownLatch(1);
        var release = new java.util.concurrent.CountDownLatch(1);
        counting.beforeRead = () -> {
            reading.countDown();
            await(release);
        };
        int readsBefore = counting.reads.get();

        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var refresher = pool.submit(() -> shared.acquire(SONNET));
            assertThat(reading.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            var others = java.util.stream.IntStream.range(0, 50)
                    .mapToObj(i -> pool.submit(() -> shared.acquire(SONNET))).toList();
            for (var other : others) {
                assertThat(other.get(10, java.util.concurrent.TimeUnit.SECONDS).probe()).isFalse();
            }
            release.countDown();
            assertThat(refresher.get(10, java.util.concurrent.TimeUnit.SECONDS).probe()).isFalse();
        }
        assertThat(counting.reads.get() - readsBefore).isEqualTo(1);
    }

    private static void await(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Passes everything to a store, counting reads and adds; a hook can hold up a read. */
    private static class CountingStore implements BreakerStore {
        private final BreakerStore target;
        private final java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        private final java.util.concurrent.atomic.AtomicInteger adds = new java.util.concurrent.atomic.AtomicInteger();
        private volatile Runnable beforeRead = () -> { };

        CountingStore(BreakerStore target) {
            this.target = target;
        }

        @Override
        public BreakerRecord read(String tier) {
            reads.incrementAndGet();
            beforeRead.run();
            return target.read(tier);
        }

        @Override
        public BreakerRecord addCalls(String tier, Instant bucketStart, BreakerRecord.Counts counts) {
            adds.incrementAndGet();
            return target.addCalls(tier, bucketStart, counts);
        }

        @Override
        public Optional<BreakerRecord> transition(String tier, long expectedVersion, BreakerRecord.Phase next,
                                                  Set<Instant> dropBuckets) {
            return target.transition(tier, expectedVersion, next, dropBuckets);
        }

        @Override
        public void discardBuckets(String tier, Set<Instant> bucketStarts) {
            target.discardBuckets(tier, bucketStarts);
        }
    }

    @Test
    void unreachableStore_letsCallsThrough() {
        CircuitBreakers blind = new CircuitBreakers(new UnreachableStore(), policy, clock);

        CircuitBreakers.Permit permit = blind.acquire(SONNET);
        blind.onFailure(permit, THROTTLED);

        assertThat(permit.probe()).isFalse();
    }

    private static boolean permitted(CircuitBreakers on) {
        try {
            on.acquire(SONNET);
            return true;
        } catch (CircuitOpenException e) {
            return false;
        }
    }

    private static final class UnreachableStore implements BreakerStore {
        private static DependencyUnavailableException down() {
            return new DependencyUnavailableException("breakers", new IllegalStateException("down"));
        }

        @Override
        public BreakerRecord read(String tier) {
            throw down();
        }

        @Override
        public BreakerRecord addCalls(String tier, Instant bucketStart, BreakerRecord.Counts counts) {
            throw down();
        }

        @Override
        public Optional<BreakerRecord> transition(String tier, long expectedVersion, BreakerRecord.Phase next,
                                                  Set<Instant> dropBuckets) {
            throw down();
        }

        @Override
        public void discardBuckets(String tier, Set<Instant> bucketStarts) {
            throw down();
        }
    }
}
