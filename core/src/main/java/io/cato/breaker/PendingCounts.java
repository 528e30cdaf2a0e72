package io.cato.breaker;

import io.cato.breaker.BreakerRecord.Counts;
import java.time.Duration;
import java.time.Instant;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Outcomes counted here and not yet added to the shared record, by bucket. One write per tier is under way
 * at a time: outcomes counted meanwhile go with the next one, which its writer makes at once if a failure is
 * among them.
 */
final class PendingCounts {
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
