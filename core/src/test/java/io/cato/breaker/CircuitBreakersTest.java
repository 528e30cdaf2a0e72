package io.cato.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cato.api.DependencyUnavailableException;
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
    void openingIsPublishedOnceAsABreakerOpenedMetric() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        var sink = new io.cato.status.EmfMetricsSink("Cato", "cato-route",
                new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8), clock);
        CircuitBreakers published = new CircuitBreakers(store, policy, clock, sink::breakerOpened);

        fail(published, 5, THROTTLED);
        assertThatThrownBy(() -> published.acquire(SONNET)).isInstanceOf(CircuitOpenException.class);

        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList()).singleElement()
                .satisfies(line -> assertThat(line).contains("\"BreakerOpened\":1", "\"Tier\":\"" + SONNET + "\"",
                        "\"Namespace\":\"Cato\""));
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
        public BreakerRecord addCall(String tier, Instant bucketStart, boolean failed) {
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
