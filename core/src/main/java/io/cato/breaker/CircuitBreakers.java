package io.cato.breaker;

import io.cato.api.DependencyUnavailableException;
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
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

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
    private static final Logger LOG = Logger.getLogger(CircuitBreakers.class.getName());
    private static final int ATTEMPTS = 5;

    /** Leave to call a tier once; a probe's outcome decides whether the breaker closes. */
    public record Permit(String tier, boolean probe) {
    }

    /** A tier's breaker as this instance last saw it, with the counts of the current window. */
    public record View(String tier, BreakerState state, Instant since, Counts window) {
    }

    private record Cached(BreakerRecord record, Instant readAt) {
    }

    /**
     * Outcomes counted here and not yet added to the shared record, by bucket. One write per tier is under way
     * at a time: outcomes counted meanwhile go with the next one, which its writer makes at once if a failure is
     * among them.
     */
    private static final class Pending {
        private final TreeMap<Instant, Counts> buckets = new TreeMap<>();
        private Instant lastWrite = Instant.EPOCH;
        private boolean writing;
        private boolean failures;

        /** Counts one outcome; returns the counts the caller must write now, or null while they may wait. */
        synchronized SortedMap<Instant, Counts> add(Instant bucket, boolean failed, Instant now, Duration writeEvery) {
            buckets.merge(bucket, new Counts(1, failed ? 1 : 0), Counts::plus);
            failures |= failed;
            if (writing) {
                return null;
            }
            return due(now, writeEvery);
        }

        /** After a write: the counts to write next, or null (and no write under way) when they may wait. */
        synchronized SortedMap<Instant, Counts> written(Instant now, Duration writeEvery) {
            writing = false;
            return due(now, writeEvery);
        }

        /** A write failed; its counts are dropped, never written twice. */
        synchronized void failed() {
            writing = false;
        }

        private SortedMap<Instant, Counts> due(Instant now, Duration writeEvery) {
            if (buckets.isEmpty() || (!failures && now.isBefore(lastWrite.plus(writeEvery)))) {
                return null;
            }
            writing = true;
            failures = false;
            lastWrite = now;
            var due = new TreeMap<>(buckets);
            buckets.clear();
            return due;
        }

        synchronized Counts since(Instant from) {
            return buckets.tailMap(from).values().stream().reduce(Counts.NONE, Counts::plus);
        }
    }

    private final BreakerStore store;
    private final BreakerPolicy policy;
    private final Clock clock;
    private final java.util.function.Consumer<String> onOpened;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<String, AtomicBoolean> refreshing = new ConcurrentHashMap<>();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

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
    }

    private void notifyOpened(String tier) {
        try {
            onOpened.accept(tier);
        } catch (RuntimeException e) {
            LOG.warning(() -> "breaker listener failed: " + e.getClass().getSimpleName());
        }
    }

    /** @throws CircuitOpenException when the tier must not be called now */
    public Permit acquire(String tier) {
        try {
            BreakerRecord seen = cached(tier);
            if (seen.state() == BreakerState.CLOSED) {
                return new Permit(tier, false);
            }
            if (!mayProbe(seen, clock.instant())) {
                throw new CircuitOpenException(tier);
            }
            return claimProbe(tier);
        } catch (DependencyUnavailableException e) {
            LOG.warning(() -> "breaker state unreadable, calling " + tier + " anyway: " + e.getMessage());
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
        BreakerRecord record = cached(tier);
        Instant from = windowStart(clock.instant());
        Pending unwritten = pending.get(tier);
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
            BreakerRecord current = refresh(tier);
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
                remember(claimed.get());
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
            LOG.warning(() -> "breaker outcome for " + permit.tier() + " not recorded: " + e.getMessage());
        }
    }

    /** @return false when the breaker left half-open meanwhile, so the outcome is an ordinary call's */
    private boolean settleProbe(String tier, boolean failed) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Instant now = clock.instant();
            BreakerRecord current = refresh(tier);
            if (current.state() != BreakerState.HALF_OPEN) {
                return false;
            }
            Phase next = failed ? Phase.open(now) : Phase.closed(now);
            // Closing starts a fresh window: the failures that opened the breaker are history.
            Set<Instant> drop = failed ? Set.of() : current.buckets().keySet();
            Optional<BreakerRecord> settled = store.transition(tier, current.version(), next, drop);
            if (settled.isPresent()) {
                remember(settled.get());
                LOG.info(() -> "circuit " + (failed ? "reopened" : "closed") + " for " + tier + " by a probe");
                return true;
            }
        }
        return false;
    }

    private void count(String tier, boolean failed) {
        Pending unwritten = pending.computeIfAbsent(tier, t -> new Pending());
        Instant now = clock.instant();
        var due = unwritten.add(bucketStart(now), failed, now, policy.localCacheTtl());
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
            remember(after);
            anyFailed |= bucket.getValue().failures() > 0;
        }
        Instant now = clock.instant();
        Set<Instant> stale = after.bucketsBefore(windowStart(now));
        if (!stale.isEmpty()) {
            store.discardBuckets(tier, Set.copyOf(stale));
        }
        if (anyFailed && after.state() == BreakerState.CLOSED && trips(after, now)) {
            open(tier, after);
        }
    }

    private void open(String tier, BreakerRecord seen) {
        BreakerRecord current = seen;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Instant now = clock.instant();
            Optional<BreakerRecord> opened = store.transition(tier, current.version(), Phase.open(now), Set.of());
            if (opened.isPresent()) {
                remember(opened.get());
                Counts window = current.countsSince(windowStart(now));
                notifyOpened(tier);
                LOG.warning(() -> "circuit opened for " + tier + ": " + window.failures() + " of " + window.calls()
                        + " calls failed");
                return;
            }
            current = refresh(tier);
            if (current.state() != BreakerState.CLOSED || !trips(current, now)) {
                return;
            }
        }
    }

    private boolean trips(BreakerRecord record, Instant now) {
        Counts window = record.countsSince(windowStart(now));
        return window.calls() >= policy.minimumNumberOfCalls()
                && window.failureRatePercent() >= policy.failureRateThresholdPercent();
    }

    private Instant bucketStart(Instant now) {
        long bucketMillis = policy.bucket().toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), bucketMillis) * bucketMillis);
    }

    /** The start of the oldest bucket still inside the window. */
    private Instant windowStart(Instant now) {
        return bucketStart(now).minus(policy.window()).plus(policy.bucket());
    }

    private BreakerRecord cached(String tier) {
        Cached entry = cache.get(tier);
        if (entry != null && clock.instant().isBefore(entry.readAt().plus(policy.localCacheTtl()))) {
            return entry.record();
        }
        if (entry == null) {
            return refresh(tier);
        }
        // One call reads the record again; the others meanwhile go on with the copy they have.
        var flag = refreshing.computeIfAbsent(tier, t -> new AtomicBoolean());
        if (!flag.compareAndSet(false, true)) {
            return entry.record();
        }
        try {
            return refresh(tier);
        } finally {
            flag.set(false);
        }
    }

    private BreakerRecord refresh(String tier) {
        BreakerRecord record = store.read(tier);
        cache.put(tier, new Cached(record, clock.instant()));
        return record;
    }

    /** Keeps the record a write returned. */
    private void remember(BreakerRecord record) {
        Cached fresh = new Cached(record, clock.instant());
        // Concurrent calls may finish out of order; an older state never replaces a newer one.
        cache.merge(record.tier(), fresh, (old, neu) -> neu.record().version() >= old.record().version() ? neu : old);
    }
}
