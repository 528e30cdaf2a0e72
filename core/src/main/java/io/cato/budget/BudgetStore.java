package io.cato.budget;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where limits' counters and admin-set limits live, shared by every instance. Each meter's window is one record
 * holding what was spent, what is reserved (held) by calls under way, and the held amounts summed by when their
 * holds expire (one sum per expiry bucket, so a record stays small however many calls are under way): a bucket
 * past its expiry belongs to callers that died, and a sweep gives its room back.
 *
 * <p>Every write is atomic on its record; {@link #reserve} is a conditional write: {@code spent + held + amount <=
 * limit}, or nothing changes. Writes are not idempotent (a reservation carries no id), so an adapter never retries
 * one that may have been applied: a write whose answer was lost counts as failed, and its hold is swept after its
 * expiry. Failures of the store itself are {@link io.cato.dependency.DependencyUnavailableException}s.
 */
public interface BudgetStore {

    /**
     * Adds {@code amount} to the window unless that would take {@code spent + held} past {@code limit}. With a hold
     * the amount is held in the hold's expiry bucket until settled, released or swept; without one it is spent at
     * once.
     *
     * @param itemExpiry when the window's record may be deleted (DynamoDB TTL)
     * @return whether it was added, {@code spent + held} after the write (or as found, when refused), and how many
     *     expiry buckets the record holds
     */
    Reservation reserve(MeterKey key, long amount, long limit, Optional<Hold> hold, Instant itemExpiry);

    /**
     * Turns a hold into spend: takes it out of its bucket and adds {@code actual} to what was spent. A hold whose
     * bucket was swept meanwhile still has its {@code actual} spent (the call did happen). Each hold is settled or
     * released once.
     */
    void settle(MeterKey key, Hold hold, long actual, Instant itemExpiry);

    /** Takes a hold out of its bucket without spending anything; a hold whose bucket was swept changes nothing. */
    void release(MeterKey key, Hold hold);

    /** Adds {@code amount} (which may be negative, to give a charge back) to what was spent, with no condition. */
    void add(MeterKey key, long amount, Instant itemExpiry);

    /** The windows' records; a window never written reads as {@link MeterState#EMPTY}. */
    Map<MeterKey, MeterState> read(Collection<MeterKey> keys);

    /**
     * Removes the window's buckets that expired before {@code now}, giving back what they held; a sweep that races
     * a settle or another sweep gives each bucket back once.
     *
     * @return the amount given back
     */
    long sweep(MeterKey key, Instant now);

    /** The limits an admin set on these scopes (by {@link Scope#storageKey()}); scopes without are left out. */
    Map<String, LimitSet> limits(Collection<String> scopes);

    /** Stores the limits an admin set on a scope, replacing earlier ones; {@link LimitSet#NONE} removes them. */
    void putLimits(String scope, LimitSet limits);

    /**
     * One window of one meter of one scope.
     *
     * @param scope the scope's {@link Scope#storageKey()}
     * @param window the window's id ({@link Meter.Window#id()})
     */
    record MeterKey(String scope, Meter meter, String window) {

        /** The record's sort key in a table keyed by scope. */
        public String item() {
            return meter.code() + "#" + window;
        }
    }

    /**
     * Room held for one call (or for a request's tokens) until it is settled.
     *
     * @param expiresAt after this a sweep may give it back: the caller's deadline plus a grace, rounded up to a
     *     bucket's edge (every ten seconds), which names its bucket
     */
    record Hold(long amount, Instant expiresAt) {
    }

    /** Whether a reservation was made, the window's {@code spent + held} it saw, and the record's bucket count. */
    record Reservation(boolean granted, long committed, int buckets) {
    }

    /**
     * A window's record.
     *
     * @param held the sum of the holds not yet settled, released or swept: the sum of {@code buckets}
     */
    record MeterState(long spent, long held, List<HeldBucket> buckets) {
        public static final MeterState EMPTY = new MeterState(0, 0, List.of());

        public MeterState {
            buckets = List.copyOf(buckets);
        }

        public long committed() {
            return spent + held;
        }

        /** {@code spent + held} not counting buckets that expired before {@code now} (a sweep would give them back). */
        public long committedAt(Instant now) {
            long expired = buckets.stream().filter(b -> b.expiresAt().isBefore(now)).mapToLong(HeldBucket::amount).sum();
            return committed() - expired;
        }
    }

    /** The holds of a window that expire at one time, summed; an empty bucket stays until swept. */
    record HeldBucket(Instant expiresAt, long amount) {
    }
}
