package io.cato.breaker;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Breaker state held in this process: for one-instance deployments and tests. */
public final class InMemoryBreakerStore implements BreakerStore {
    private final Map<String, BreakerRecord> records = new HashMap<>();

    @Override
    public synchronized BreakerRecord read(String tier) {
        return records.getOrDefault(tier, BreakerRecord.unseen(tier));
    }

    @Override
    public synchronized BreakerRecord addCalls(String tier, Instant bucketStart, BreakerRecord.Counts counts) {
        BreakerRecord current = read(tier);
        var buckets = new TreeMap<>(current.buckets());
        buckets.merge(bucketStart, counts, BreakerRecord.Counts::plus);
        BreakerRecord updated = current.withBuckets(buckets);
        records.put(tier, updated);
        return updated;
    }

    @Override
    public synchronized Optional<BreakerRecord> transition(String tier, long expectedVersion, BreakerRecord.Phase next,
                                                           Set<Instant> dropBuckets) {
        BreakerRecord current = read(tier);
        if (current.version() != expectedVersion) {
            return Optional.empty();
        }
        var buckets = new TreeMap<>(current.buckets());
        buckets.keySet().removeAll(dropBuckets);
        BreakerRecord updated = new BreakerRecord(tier, next, expectedVersion + 1, buckets);
        records.put(tier, updated);
        return Optional.of(updated);
    }

    @Override
    public synchronized void discardBuckets(String tier, Set<Instant> bucketStarts) {
        BreakerRecord current = records.get(tier);
        if (current != null) {
            var buckets = new TreeMap<>(current.buckets());
            buckets.keySet().removeAll(bucketStarts);
            records.put(tier, current.withBuckets(buckets));
        }
    }
}
