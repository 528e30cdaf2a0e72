package io.cato.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.cato.budget.BudgetStore;
import io.cato.budget.BudgetStore.HeldBucket;
import io.cato.budget.BudgetStore.Hold;
import io.cato.budget.BudgetStore.MeterKey;
import io.cato.budget.BudgetStore.MeterState;
import io.cato.budget.LimitSet;
import io.cato.budget.Meter;
import io.cato.budget.OverBudget;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What every {@link BudgetStore} must do; each adapter's test extends this. */
public abstract class BudgetStoreContract {
    // Now, not a fixed date: adapters may rely on real time (DynamoDB Local expires items by TTL).
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final Instant later = now.plusSeconds(60);
    private final Instant past = now.minusSeconds(10);
    private final Instant itemExpiry = now.plus(Meter.USD_PER_DAY.retention()).plusSeconds(86_400);
    private final String scope = "tenant#t-" + UUID.randomUUID();
    private final MeterKey day = new MeterKey(scope, Meter.USD_PER_DAY, Meter.USD_PER_DAY.window(now).id());

    /** A store of its own for each test. */
    protected abstract BudgetStore store();

    private MeterState state(BudgetStore store, MeterKey key) {
        return store.read(List.of(key)).get(key);
    }

    private static Optional<Hold> hold(long amount, Instant expiresAt) {
        return Optional.of(new Hold(amount, expiresAt));
    }

    @Test
    void read_ofAWindowNeverWritten_isEmpty() {
        assertThat(state(store(), day)).isEqualTo(MeterState.EMPTY);
    }

    @Test
    void reserve_withinTheLimit_holdsTheAmountInItsExpiryBucket_andBeyondIt_changesNothing() {
        BudgetStore store = store();

        var granted = store.reserve(day, 60, 100, hold(60, later), itemExpiry);
        var refused = store.reserve(day, 41, 100, hold(41, later), itemExpiry);
        var fits = store.reserve(day, 40, 100, hold(40, later.plusSeconds(10)), itemExpiry);

        assertThat(granted).isEqualTo(new BudgetStore.Reservation(true, 60, 1));
        assertThat(refused).isEqualTo(new BudgetStore.Reservation(false, 60, 1));
        assertThat(fits).isEqualTo(new BudgetStore.Reservation(true, 100, 2));
        assertThat(state(store, day)).isEqualTo(new MeterState(0, 100,
                List.of(new HeldBucket(later, 60), new HeldBucket(later.plusSeconds(10), 40))));
    }

    @Test
    void reserve_withoutAHold_spendsAtOnce() {
        BudgetStore store = store();
        MeterKey minute = new MeterKey(scope, Meter.REQUESTS_PER_MINUTE, Meter.REQUESTS_PER_MINUTE.window(now).id());

        store.reserve(minute, 1, 2, Optional.empty(), itemExpiry);
        store.reserve(minute, 1, 2, Optional.empty(), itemExpiry);
        var third = store.reserve(minute, 1, 2, Optional.empty(), itemExpiry);

        assertThat(third).isEqualTo(new BudgetStore.Reservation(false, 2, 0));
        assertThat(state(store, minute)).isEqualTo(new MeterState(2, 0, List.of()));
    }

    @Test
    void holdsExpiringTogether_shareABucket_andSettleOneByOne() {
        BudgetStore store = store();
        store.reserve(day, 30, 100, hold(30, later), itemExpiry);
        store.reserve(day, 20, 100, hold(20, later), itemExpiry);

        store.settle(day, new Hold(30, later), 25, itemExpiry);

        assertThat(state(store, day)).isEqualTo(new MeterState(25, 20, List.of(new HeldBucket(later, 20))));
        assertThat(store.reserve(day, 55, 100, hold(55, later), itemExpiry).granted()).isTrue();
    }

    @Test
    void release_givesTheRoomBack() {
        BudgetStore store = store();
        store.reserve(day, 70, 100, hold(70, later), itemExpiry);

        store.release(day, new Hold(70, later));

        assertThat(state(store, day)).isEqualTo(new MeterState(0, 0, List.of(new HeldBucket(later, 0))));
        assertThat(store.reserve(day, 100, 100, hold(100, later), itemExpiry).granted()).isTrue();
    }

    @Test
    void sweep_givesBackOnlyExpiredBuckets_andALateSettleStillSpends() {
        BudgetStore store = store();
        store.reserve(day, 50, 100, hold(50, past), itemExpiry);
        store.reserve(day, 30, 100, hold(30, later), itemExpiry);

        long swept = store.sweep(day, now);
        long again = store.sweep(day, now);

        assertThat(swept).isEqualTo(50);
        assertThat(again).isZero();
        assertThat(state(store, day)).isEqualTo(new MeterState(0, 30, List.of(new HeldBucket(later, 30))));
        assertThat(store.reserve(day, 70, 100, hold(70, later), itemExpiry).granted()).isTrue();

        store.settle(day, new Hold(50, past), 12, itemExpiry);

        MeterState after = state(store, day);
        assertThat(after.spent()).as("the late call's cost").isEqualTo(12);
        assertThat(after.held()).as("nothing given back twice").isEqualTo(100);
        assertThat(after.buckets()).containsExactly(new HeldBucket(later, 100));
    }

    @Test
    void sweep_removesExpiredBucketsThatAreEmpty_andAReleaseAfterASweepGivesNothingBack() {
        BudgetStore store = store();
        store.reserve(day, 40, 100, hold(40, past), itemExpiry);
        store.reserve(day, 10, 100, hold(10, past.minusSeconds(10)), itemExpiry);
        store.settle(day, new Hold(10, past.minusSeconds(10)), 10, itemExpiry);

        long swept = store.sweep(day, now);
        store.release(day, new Hold(40, past));

        assertThat(swept).isEqualTo(40);
        assertThat(state(store, day)).isEqualTo(new MeterState(10, 0, List.of()));
    }

    @Test
    void add_spendsWithoutACondition_andTakesBackANegativeAmount() {
        BudgetStore store = store();
        store.reserve(day, 100, 100, hold(100, later), itemExpiry);

        store.add(day, 40, itemExpiry);
        store.add(day, -15, itemExpiry);

        assertThat(state(store, day).spent()).isEqualTo(25);
        assertThat(state(store, day).committed()).isEqualTo(125);
    }

    @Test
    void windows_ofOtherScopesMetersAndPeriods_areIsolated() {
        BudgetStore store = store();
        MeterKey otherScope = new MeterKey(scope + "x", Meter.USD_PER_DAY, day.window());
        MeterKey otherMeter = new MeterKey(scope, Meter.USD_PER_MONTH, Meter.USD_PER_MONTH.window(now).id());
        MeterKey nextDay = new MeterKey(scope, Meter.USD_PER_DAY, Meter.USD_PER_DAY.window(now.plusSeconds(86_400)).id());
        store.reserve(day, 100, 100, Optional.empty(), itemExpiry);

        Map<MeterKey, MeterState> states = store.read(List.of(day, otherScope, otherMeter, nextDay));

        assertThat(states.get(day).spent()).isEqualTo(100);
        assertThat(List.of(states.get(otherScope), states.get(otherMeter), states.get(nextDay)))
                .containsOnly(MeterState.EMPTY);
    }

    @Test
    void reserve_racedByFiftyWriters_grantsExactlyWhatTheLimitHolds() throws Exception {
        BudgetStore store = store();
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Boolean>> writers = IntStream.range(0, 50).<Callable<Boolean>>mapToObj(i -> () -> {
            start.await();
            return store.reserve(day, 7, 70, hold(7, later.plusSeconds(10L * (i % 3))), itemExpiry).granted();
        }).toList();
        long granted = 0;
        try (var pool = Executors.newFixedThreadPool(16)) {
            List<Future<Boolean>> results = writers.stream().map(pool::submit).toList();
            start.countDown();
            for (Future<Boolean> f : results) {
                granted += f.get() ? 1 : 0;
            }
        }

        assertThat(granted).isEqualTo(10);
        MeterState state = state(store, day);
        assertThat(state.held()).isEqualTo(70);
        assertThat(state.buckets().stream().mapToLong(HeldBucket::amount).sum()).isEqualTo(70);
    }

    @Test
    void sweep_racedBySettles_givesEachBucketBackOnce() throws Exception {
        BudgetStore store = store();
        IntStream.range(0, 20).forEach(i -> store.reserve(day, 5, 1000, hold(5, past), itemExpiry));
        List<Callable<Void>> racers = new java.util.ArrayList<>();
        IntStream.range(0, 20).forEach(i -> racers.add(() -> {
            store.settle(day, new Hold(5, past), 3, itemExpiry);
            return null;
        }));
        IntStream.range(0, 4).forEach(i -> racers.add(() -> {
            store.sweep(day, now);
            return null;
        }));
        try (var pool = Executors.newFixedThreadPool(8)) {
            for (Future<Void> f : pool.invokeAll(racers)) {
                f.get();
            }
        }

        assertThat(state(store, day)).isEqualTo(new MeterState(60, 0, List.of()));
    }

    @Test
    void limits_areStoredPerScope_replaced_andRemovedWhenEmpty() {
        BudgetStore store = store();
        LimitSet limits = new LimitSet(OptionalLong.of(60), OptionalLong.empty(), Optional.of(new BigDecimal("2.5")),
                Optional.empty(), Optional.of(new OverBudget.Downgrade("shadow")));
        store.putLimits(scope, limits);
        store.putLimits(scope + "b", LimitSet.NONE);

        assertThat(store.limits(List.of(scope, scope + "b"))).containsOnly(Map.entry(scope, limits));

        LimitSet replaced = new LimitSet(OptionalLong.empty(), OptionalLong.of(1000), Optional.empty(),
                Optional.of(new BigDecimal("0.000000001")), Optional.of(OverBudget.REFUSE));
        store.putLimits(scope, replaced);
        assertThat(store.limits(List.of(scope))).containsOnly(Map.entry(scope, replaced));

        store.putLimits(scope, LimitSet.NONE);
        assertThat(store.limits(List.of(scope))).isEmpty();
    }
}
