package io.cato.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.cato.budget.BudgetStore;
import io.cato.budget.BudgetStore.Hold;
import io.cato.budget.BudgetStore.HoldState;
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
    private final Instant itemExpiry = now.plus(Meter.USD_PER_DAY.retention()).plusSeconds(86_400);
    private final String scope = "tenant#t-" + UUID.randomUUID();
    private final MeterKey day = new MeterKey(scope, Meter.USD_PER_DAY, Meter.USD_PER_DAY.window(now).id());

    /** A store of its own for each test. */
    protected abstract BudgetStore store();

    private Hold hold(long amount, Instant expiresAt) {
        return new Hold(UUID.randomUUID().toString().replace("-", ""), amount, expiresAt);
    }

    private MeterState state(BudgetStore store, MeterKey key) {
        return store.read(List.of(key)).get(key);
    }

    @Test
    void read_ofAWindowNeverWritten_isEmpty() {
        assertThat(state(store(), day)).isEqualTo(MeterState.EMPTY);
    }

    @Test
    void reserve_withinTheLimit_holdsTheAmount_andBeyondIt_changesNothing() {
        BudgetStore store = store();
        Hold first = hold(60, now.plusSeconds(60));

        var granted = store.reserve(day, 60, 100, Optional.of(first), itemExpiry);
        var refused = store.reserve(day, 41, 100, Optional.of(hold(41, now.plusSeconds(60))), itemExpiry);
        var fits = store.reserve(day, 40, 100, Optional.of(hold(40, now.plusSeconds(60))), itemExpiry);

        assertThat(granted).isEqualTo(new BudgetStore.Reservation(true, 60));
        assertThat(refused).isEqualTo(new BudgetStore.Reservation(false, 60));
        assertThat(fits).isEqualTo(new BudgetStore.Reservation(true, 100));
        MeterState state = state(store, day);
        assertThat(state.spent()).isZero();
        assertThat(state.held()).isEqualTo(100);
        assertThat(state.holds()).extracting(HoldState::amount).containsExactlyInAnyOrder(60L, 40L);
        assertThat(state.holds()).filteredOn(h -> h.id().equals(first.id())).singleElement()
                .satisfies(h -> assertThat(h.expiresAt()).isEqualTo(first.expiresAt()));
    }

    @Test
    void reserve_withoutAHold_spendsAtOnce() {
        BudgetStore store = store();
        MeterKey minute = new MeterKey(scope, Meter.REQUESTS_PER_MINUTE, Meter.REQUESTS_PER_MINUTE.window(now).id());

        store.reserve(minute, 1, 2, Optional.empty(), itemExpiry);
        store.reserve(minute, 1, 2, Optional.empty(), itemExpiry);
        var third = store.reserve(minute, 1, 2, Optional.empty(), itemExpiry);

        assertThat(third).isEqualTo(new BudgetStore.Reservation(false, 2));
        assertThat(state(store, minute)).isEqualTo(new MeterState(2, 0, List.of()));
    }

    @Test
    void reserve_repeatedWithTheSameHold_countsOnce() {
        BudgetStore store = store();
        Hold hold = hold(30, now.plusSeconds(60));

        store.reserve(day, 30, 100, Optional.of(hold), itemExpiry);
        var again = store.reserve(day, 30, 100, Optional.of(hold), itemExpiry);

        assertThat(again.granted()).as("a retried reservation is still granted").isTrue();
        assertThat(state(store, day).held()).isEqualTo(30);
    }

    @Test
    void settle_turnsTheHoldIntoItsActualCost_once() {
        BudgetStore store = store();
        Hold hold = hold(80, now.plusSeconds(60));
        store.reserve(day, 80, 100, Optional.of(hold), itemExpiry);

        store.settle(day, hold, 25, itemExpiry);
        store.settle(day, hold, 25, itemExpiry);

        assertThat(state(store, day)).isEqualTo(new MeterState(25, 0, List.of()));
        assertThat(store.reserve(day, 75, 100, Optional.of(hold(75, now.plusSeconds(60))), itemExpiry).granted())
                .isTrue();
    }

    @Test
    void release_givesTheRoomBack_andAReleaseAfterASettleChangesNothing() {
        BudgetStore store = store();
        Hold released = hold(70, now.plusSeconds(60));
        Hold settled = hold(20, now.plusSeconds(60));
        store.reserve(day, 70, 100, Optional.of(released), itemExpiry);
        store.reserve(day, 20, 100, Optional.of(settled), itemExpiry);

        store.release(day, released);
        store.settle(day, settled, 20, itemExpiry);
        store.release(day, settled);
        store.release(day, released);

        assertThat(state(store, day)).isEqualTo(new MeterState(20, 0, List.of()));
    }

    @Test
    void sweep_releasesOnlyExpiredHolds_andALateSettleStillSpendsOnce() {
        BudgetStore store = store();
        Hold expired = hold(50, now.minusSeconds(1));
        Hold live = hold(30, now.plusSeconds(60));
        store.reserve(day, 50, 100, Optional.of(expired), itemExpiry);
        store.reserve(day, 30, 100, Optional.of(live), itemExpiry);

        int swept = store.sweep(day, now);
        int again = store.sweep(day, now);

        assertThat(swept).isEqualTo(1);
        assertThat(again).isZero();
        assertThat(state(store, day).committed()).isEqualTo(30);
        assertThat(store.reserve(day, 70, 100, Optional.of(hold(70, now.plusSeconds(60))), itemExpiry).granted())
                .isTrue();

        store.settle(day, expired, 12, itemExpiry);
        store.settle(day, expired, 12, itemExpiry);

        MeterState after = state(store, day);
        assertThat(after.spent()).as("the late call's cost, counted once").isEqualTo(12);
        assertThat(after.held()).isEqualTo(100);
        assertThat(after.holds()).extracting(HoldState::id).doesNotContain(expired.id());
    }

    @Test
    void release_ofASweptHold_givesNothingBackTwice() {
        BudgetStore store = store();
        Hold expired = hold(50, now.minusSeconds(1));
        store.reserve(day, 50, 100, Optional.of(expired), itemExpiry);
        store.sweep(day, now);

        store.release(day, expired);

        assertThat(state(store, day)).isEqualTo(new MeterState(0, 0, List.of()));
    }

    @Test
    void add_spendsWithoutACondition_andTakesBackANegativeAmount() {
        BudgetStore store = store();
        store.reserve(day, 100, 100, Optional.of(hold(100, now.plusSeconds(60))), itemExpiry);

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
            return store.reserve(day, 7, 70, Optional.of(hold(7, now.plusSeconds(60))), itemExpiry).granted();
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
        assertThat(state(store, day).held()).isEqualTo(70);
    }

    @Test
    void sweep_racedBySettles_releasesEachHoldOnce() throws Exception {
        BudgetStore store = store();
        List<Hold> holds = IntStream.range(0, 20).mapToObj(i -> hold(5, now.minusSeconds(1))).toList();
        holds.forEach(h -> store.reserve(day, 5, 1000, Optional.of(h), itemExpiry));
        List<Callable<Void>> racers = new java.util.ArrayList<>();
        holds.forEach(h -> racers.add(() -> {
            store.settle(day, h, 3, itemExpiry);
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

        MeterState after = state(store, day);
        assertThat(after.held()).isZero();
        assertThat(after.spent()).isEqualTo(60);
        assertThat(after.committed()).isEqualTo(60);
        assertThat(after.holds()).isEmpty();
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
