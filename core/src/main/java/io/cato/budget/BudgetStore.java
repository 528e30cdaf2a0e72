package io.cato.budget;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where limits' counters and admin-set limits live, shared by every instance. Each meter's window is one record
 * holding what was spent, what is reserved (held) by calls under way, and those holds one by one, each with an
 * expiry, so that a hold whose caller died can be swept and its room given back.
 *
 * <p>Every write is atomic on its record; {@link #reserve} is a conditional write: {@code spent + held + amount <=
 * limit}, or nothing changes. Writes that carry a hold id are idempotent, so a retried request never counts twice.
 * Failures of the store itself are {@link io.cato.api.DependencyUnavailableException}s.
 */
public interface BudgetStore {

    /**
     * Adds {@code amount} to the window unless that would take {@code spent + held} past {@code limit}. With a hold
     * the amount is held under the hold's id until settled, released or swept; without one it is spent at once.
     *
     * @param itemExpiry when the window's record may be deleted (DynamoDB TTL)
     * @return whether it was added, and {@code spent + held} after the write (or as found, when refused)
     */
    Reservation reserve(MeterKey key, long amount, long limit, Optional<Hold> hold, Instant itemExpiry);

    /**
     * Turns a hold into spend: removes it and adds {@code actual} to what was spent. A hold that was swept meanwhile
     * still has its {@code actual} spent (the call did happen); a hold already settled or released changes nothing.
     */
    void settle(MeterKey key, Hold hold, long actual, Instant itemExpiry);

    /** Removes a hold without spending anything; a hold already gone changes nothing. */
    void release(MeterKey key, Hold hold);

    /** Adds {@code amount} (which may be negative, to give a charge back) to what was spent, with no condition. */
    void add(MeterKey key, long amount, Instant itemExpiry);

    /** The windows' records; a window never written reads as {@link MeterState#EMPTY}. */
    Map<MeterKey, MeterState> read(Collection<MeterKey> keys);

    /**
     * Releases the holds of a window that expired before {@code now}, as {@link #release} would; a sweep that
     * races a settle or another sweep leaves each hold released once.
     *
     * @return how many holds it released
     */
    int sweep(MeterKey key, Instant now);

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
     * @param id unique among all instances (random, 122 bits)
     * @param expiresAt after this a sweep may release it: the caller's deadline plus a grace
     */
    record Hold(String id, long amount, Instant expiresAt) {
    }

    /** Whether a reservation was made, and the window's {@code spent + held} it saw. */
    record Reservation(boolean granted, long committed) {
    }

    /**
     * A window's record.
     *
     * @param held the sum of the holds not yet released (swept holds no longer count)
     */
    record MeterState(long spent, long held, List<HoldState> holds) {
        public static final MeterState EMPTY = new MeterState(0, 0, List.of());

        public MeterState {
            holds = List.copyOf(holds);
        }

        public long committed() {
            return spent + held;
        }

        /** {@code spent + held} not counting holds that expired before {@code now} (a sweep would release them). */
        public long committedAt(Instant now) {
            long expired = holds.stream().filter(h -> !h.swept() && h.expiresAt().isBefore(now))
                    .mapToLong(HoldState::amount).sum();
            return committed() - expired;
        }
    }

    /** One hold of a window; a swept hold stays (marked) until its late settle or the record's expiry. */
    record HoldState(String id, long amount, Instant expiresAt, boolean swept) {
    }
}
