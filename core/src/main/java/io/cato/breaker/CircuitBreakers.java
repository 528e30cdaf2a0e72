package io.cato.breaker;

import io.cato.dependency.DependencyUnavailableException;
import io.cato.breaker.BreakerRecord.Counts;
import io.cato.breaker.BreakerRecord.Phase;
import io.cato.model.ModelFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The circuit breakers of all tiers, their state shared through a {@link BreakerStore} so that a
 * tier failing in one Lambda environment is avoided by every other within the local cache TTL.
 *
 * <p>Permission is decided from a short-lived local copy of the shared record. When the copy
 * expires, one call reads the record again while the others go on with the copy, so a burst of
 * calls makes one read, not one each. Outcomes are added to the shared record by atomic adds:
 * a failure at once, together with the successes counted here since the last write, and
 * successes alone at most once per local cache TTL (by the first call after it), so a healthy
 * tier costs one write per second per instance however many calls it serves. One write per tier
 * is under way at a time, so a burst of failures is added up in a few writes. The record each
 * add returns refreshes the copy, so a trip seen by one call is acted on by the next. State
 * changes are compare-and-set on the record's version: of the instances that see the same
 * failure rate, or the same expired wait, one wins.
 *
 * <p>When the store cannot be reached, calls are permitted: losing the breaker must not take
 * the tiers down with it.
 */
public final class CircuitBreakers {
    private static final Logger LOG = LoggerFactory.getLogger(CircuitBreakers.class);
    private static final int ATTEMPTS = 5;

    /** Leave to call a tier once; a probe's outcome decides whether the breaker closes. */
    public record Permit(String tier, boolean probe) {
    }

    /** A tier's breaker as this instance last saw it, with the counts of the current window. */
    public record View(String tier, BreakerState state, Instant since, Counts window) {
    }

    private final BreakerStore store;
    private final BreakerPolicy policy;
    private final Clock clock;
    private final java.util.function.Consumer<String> onOpened;
    private final RecordCache records;
    private final Map<String, PendingCounts> pending = new ConcurrentHashMap<>();

    public CircuitBreakers(BreakerStore store, BreakerPolicy policy, Clock clock) {
        this(store, policy, clock, tier -> { });
    }

    /** @param onOpened told the tier's name when this instance's write opened its breaker */
    public CircuitBreakers(BreakerStore store, BreakerPolicy policy, Clock clock,
                           java.util.function.Consumer<String> onOpened) {
        this.store = store;
        this.policy = policy;
        this.clock = clock;
        this.onOpened = onOpened;
        this.records = new RecordCache(store, policy.localCacheTtl(), clock);
    }

    private void notifyOpened(String tier) {
        try {
            onOpened.accept(tier);
        } catch (RuntimeException e) {
            LOG.atWarn().log(() -> "breaker listener failed: " + e.getClass().getSimpleName());
        }
    }

    /** @throws CircuitOpenException when the tier must not be called now */
    public Permit acquire(String tier) {
        try {
            BreakerRecord seen = records.current(tier);
            if (seen.state() == BreakerState.CLOSED) {
                return new Permit(tier, false);
            }
            if (!mayProbe(seen, clock.instant())) {
                throw new CircuitOpenException(tier);
            }
            return claimProbe(tier);
        } catch (DependencyUnavailableException e) {
            LOG.atWarn().log(() -> "breaker state unreadable, calling " + tier + " anyway: " + e.getMessage());
            return new Permit(tier, false);
        }
    }

    /** The call answered; a slow answer still counts as a failure of the tier. */
    public void onSuccess(Permit permit, Duration took) {
        settle(permit, took.compareTo(policy.slowCallDuration()) >= 0);
    }

    /** The call failed; only failures of the tier itself count against it. */
    public void onFailure(Permit permit, ModelFailure failure) {
        if (countsAgainstTier(failure)) {
            settle(permit, true);
        } else if (permit.probe()) {
            // The tier answered, if only to say no: it is up, whatever the prompt's problem.
            settle(permit, false);
        }
    }

    /** Too long a prompt and a refusal are the caller's or the content's problem, not the tier's. */
    static boolean countsAgainstTier(ModelFailure failure) {
        return switch (failure) {
            case ModelFailure.Throttled t -> true;
            case ModelFailure.TimedOut t -> true;
            case ModelFailure.Unavailable u -> true;
            case ModelFailure.ContextTooLong c -> false;
            case ModelFailure.Refused r -> false;
        };
    }

    /** @throws DependencyUnavailableException when the store cannot be read */
    public View view(String tier) {
        BreakerRecord record = records.current(tier);
        Instant from = policy.windowStart(clock.instant());
        PendingCounts unwritten = pending.get(tier);
        Counts window = record.countsSince(from).plus(unwritten == null ? Counts.NONE : unwritten.since(from));
        return new View(tier, record.state(), record.phase().since(), window);
    }

    Clock clock() {
        return clock;
    }

    private boolean mayProbe(BreakerRecord record, Instant now) {
        return switch (record.state()) {
            case CLOSED -> true;
            case OPEN -> !now.isBefore(record.phase().since().plus(policy.waitInOpen()));
            case HALF_OPEN -> record.phase().probesInFlight(now) < policy.permittedProbes();
        };
    }

    private Permit claimProbe(String tier) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Instant now = clock.instant();
            BreakerRecord current = records.reread(tier);
            if (current.state() == BreakerState.CLOSED) {
                return new Permit(tier, false);
            }
            if (!mayProbe(current, now)) {
                throw new CircuitOpenException(tier);
            }
            Phase phase = current.phase();
            Instant since = current.state() == BreakerState.OPEN ? now : phase.since();
            Phase next = new Phase(BreakerState.HALF_OPEN, since, phase.probesInFlight(now) + 1,
                    now.plus(policy.probeLease()));
            Optional<BreakerRecord> claimed = store.transition(tier, current.version(), next, Set.of());
            if (claimed.isPresent()) {
                records.remember(claimed.get());
                return new Permit(tier, true);
            }
        }
        throw new CircuitOpenException(tier);
    }

    private void settle(Permit permit, boolean failed) {
        try {
            if (!permit.probe() || !settleProbe(permit.tier(), failed)) {
                count(permit.tier(), failed);
            }
        } catch (DependencyUnavailableException e) {
            LOG.atWarn().log(() -> "breaker outcome for " + permit.tier() + " not recorded: " + e.getMessage());
        }
    }

    /** @return false when the breaker left half-open meanwhile, so the outcome is an ordinary call's */
    private boolean settleProbe(String tier, boolean failed) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Instant now = clock.instant();
            BreakerRecord current = records.reread(tier);
            if (current.state() != BreakerState.HALF_OPEN) {
                return false;
            }
            Phase next = failed ? Phase.open(now) : Phase.closed(now);
            // Closing starts a fresh window: the failures that opened the breaker are history.
            Set<Instant> drop = failed ? Set.of() : current.buckets().keySet();
            Optional<BreakerRecord> settled = store.transition(tier, current.version(), next, drop);
            if (settled.isPresent()) {
                records.remember(settled.get());
                LOG.atInfo().log(() -> "circuit " + (failed ? "reopened" : "closed") + " for " + tier + " by a probe");
                return true;
            }
        }
        return false;
    }

    private void count(String tier, boolean failed) {
        PendingCounts unwritten = pending.computeIfAbsent(tier, t -> new PendingCounts());
        Instant now = clock.instant();
        var due = unwritten.add(policy.bucketStart(now), failed, now, policy.localCacheTtl());
        while (due != null) {
            try {
                write(tier, due);
            } catch (RuntimeException e) {
                // Whatever part failed, the next outcome may start a write again.
                unwritten.failed();
                throw e;
            }
            due = unwritten.written(clock.instant(), policy.localCacheTtl());
        }
    }

    /** Adds the counts to the shared record, drops buckets past the window, and opens the breaker if they trip it. */
    private void write(String tier, SortedMap<Instant, Counts> due) {
        BreakerRecord after = null;
        boolean anyFailed = false;
        for (var bucket : due.entrySet()) {
            after = store.addCalls(tier, bucket.getKey(), bucket.getValue());
            records.remember(after);
            anyFailed |= bucket.getValue().failures() > 0;
        }
        Instant now = clock.instant();
        Set<Instant> stale = after.bucketsBefore(policy.windowStart(now));
        if (!stale.isEmpty()) {
            store.discardBuckets(tier, Set.copyOf(stale));
        }
        if (anyFailed && after.state() == BreakerState.CLOSED && policy.trips(after, now)) {
            open(tier, after);
        }
    }

    private void open(String tier, BreakerRecord seen) {
        BreakerRecord current = seen;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Instant now = clock.instant();
            Optional<BreakerRecord> opened = store.transition(tier, current.version(), Phase.open(now), Set.of());
            if (opened.isPresent()) {
                records.remember(opened.get());
                Counts window = current.countsSince(policy.windowStart(now));
                notifyOpened(tier);
                LOG.atWarn().log(() -> "circuit opened for " + tier + ": " + window.failures() + " of " + window.calls()
                        + " calls failed");
                return;
            }
            current = records.reread(tier);
            if (current.state() != BreakerState.CLOSED || !policy.trips(current, now)) {
                return;
            }
        }
    }

}
