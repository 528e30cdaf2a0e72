package io.cato.budget;

import io.cato.budget.BudgetStore.Hold;
import io.cato.budget.BudgetStore.MeterKey;
import io.cato.budget.BudgetStore.Reservation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The store's meters as the budget code uses them: which record a meter's current window is, when a record and a
 * hold expire, and a reservation that, once refused, sweeps the window's expired holds and tries once more.
 */
final class Meters {
    /** Holds are summed per this much of their expiry: a window's record keeps one sum per bucket. */
    static final Duration HOLD_BUCKET = Duration.ofSeconds(10);
    /** Past this many buckets on a record, a granted reservation also sweeps the expired ones away. */
    static final int MAX_BUCKETS = 64;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Meters.class);
    private final BudgetStore store;
    private final Clock clock;

    Meters(BudgetStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    BudgetStore store() {
        return store;
    }

    Instant now() {
        return clock.instant();
    }

    /** The record of the scope's meter for the window {@code at} falls in. */
    static MeterKey key(Scope scope, Meter meter, Instant at) {
        return new MeterKey(scope.storageKey(), meter, meter.window(at).id());
    }

    /** When a window's record may be deleted: its retention after the window ends. */
    static Instant itemExpiry(Meter meter, Instant at) {
        return meter.window(at).end().plus(meter.retention());
    }

    /** A hold expiring at {@code expiresAt} rounded up to the edge of its bucket. */
    static Hold newHold(long amount, Instant expiresAt) {
        long seconds = expiresAt.getEpochSecond() + (expiresAt.getNano() > 0 ? 1 : 0);
        long bucket = HOLD_BUCKET.toSeconds();
        return new Hold(amount, Instant.ofEpochSecond(Math.ceilDiv(seconds, bucket) * bucket));
    }

    /**
     * Reserves {@code amount} against {@code limit}. A refusal on a window with holds is swept for holds past their
     * expiry (their callers are gone), and the reservation tried again if that gave any room back; a record that
     * has gathered many buckets is swept of its expired (mostly empty) ones, to stay small.
     */
    Reservation take(MeterKey key, long amount, long limit, Optional<Hold> hold, Instant at) {
        if (amount > limit) {
            return new Reservation(false, store.read(List.of(key)).get(key).committed(), 0);
        }
        Instant expiry = itemExpiry(key.meter(), at);
        Reservation first = store.reserve(key, amount, limit, hold, expiry);
        if (first.granted()) {
            if (first.buckets() > MAX_BUCKETS) {
                quietly("sweep", () -> store.sweep(key, now()));
            }
            return first;
        }
        if (hold.isEmpty() || first.buckets() == 0 || store.sweep(key, now()) == 0) {
            return first;
        }
        return store.reserve(key, amount, limit, hold, expiry);
    }

    /**
     * Settles a hold. A store failure here is logged, not thrown: the call it settles has answered, and its hold
     * expires and is swept like a crashed caller's (its cost then goes uncounted).
     */
    void settle(MeterKey key, Hold hold, long actual, Instant at) {
        quietly("settle", () -> store.settle(key, hold, actual, itemExpiry(key.meter(), at)));
    }

    /** Releases a hold; a store failure is logged, and the hold expires instead. */
    void release(MeterKey key, Hold hold) {
        quietly("release", () -> store.release(key, hold));
    }

    /** Adds to what was spent; a store failure is logged, and the amount goes uncounted. */
    void add(MeterKey key, long amount, Instant at) {
        quietly("add", () -> store.add(key, amount, itemExpiry(key.meter(), at)));
    }

    private static void quietly(String what, Runnable write) {
        try {
            write.run();
        } catch (RuntimeException e) {
            LOG.atWarn().log(() -> "budget " + what + " not written: " + e.getClass().getSimpleName());
        }
    }
}
