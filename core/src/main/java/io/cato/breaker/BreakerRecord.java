package io.cato.breaker;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One tier's breaker as the shared store holds it: the phase, which only changes by a
 * version-checked write, and call counts per time bucket, which are added to atomically and
 * carry no version so counting never contends with state changes.
 *
 * @param version 0 before the first state change; each state change adds 1
 * @param buckets counts keyed by the start of their bucket
 */
public record BreakerRecord(String tier, Phase phase, long version, SortedMap<Instant, Counts> buckets) {

    public BreakerRecord {
        buckets = Collections.unmodifiableSortedMap(new TreeMap<>(buckets));
    }

    /** A tier the store has never seen: closed, with nothing counted. */
    public static BreakerRecord unseen(String tier) {
        return new BreakerRecord(tier, Phase.INITIAL, 0, new TreeMap<>());
    }

    /**
     * The state and when it began.
     *
     * @param since when the breaker entered this state (for OPEN: when it opened)
     * @param probes probes granted and not yet settled (HALF_OPEN only)
     * @param probeLeaseUntil after this instant the granted probes are presumed lost
     */
    public record Phase(BreakerState state, Instant since, int probes, Instant probeLeaseUntil) {
        public static final Phase INITIAL = new Phase(BreakerState.CLOSED, Instant.EPOCH, 0, Instant.EPOCH);

        public static Phase closed(Instant now) {
            return new Phase(BreakerState.CLOSED, now, 0, Instant.EPOCH);
        }

        public static Phase open(Instant now) {
            return new Phase(BreakerState.OPEN, now, 0, Instant.EPOCH);
        }

        /** Probes that still hold their lease at {@code now}. */
        public int probesInFlight(Instant now) {
            return now.isBefore(probeLeaseUntil) ? probes : 0;
        }
    }

    /** Calls and, among them, failures (slow calls included). */
    public record Counts(long calls, long failures) {
        public static final Counts NONE = new Counts(0, 0);

        public Counts plus(Counts other) {
            return new Counts(calls + other.calls, failures + other.failures);
        }

        public double failureRatePercent() {
            return calls == 0 ? 0 : 100.0 * failures / calls;
        }
    }

    public BreakerState state() {
        return phase.state();
    }

    /** The counts of the buckets starting at or after {@code from}. */
    public Counts countsSince(Instant from) {
        return buckets.tailMap(from).values().stream().reduce(Counts.NONE, Counts::plus);
    }

    /** Bucket starts before {@code from}: no longer in any window. */
    public java.util.Set<Instant> bucketsBefore(Instant from) {
        return buckets.headMap(from).keySet();
    }

    public BreakerRecord withBuckets(Map<Instant, Counts> newBuckets) {
        return new BreakerRecord(tier, phase, version, new TreeMap<>(newBuckets));
    }
}
