package io.cato.cache;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Counters of the cache since the process started, per tier of the cache. */
public final class CacheStats {
    private final LongAdder exactHits = new LongAdder();
    private final LongAdder vectorHits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder bypasses = new LongAdder();
    private final LongAdder stores = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final AtomicLong evicted = new AtomicLong();
    private final LongAdder lookupNanos = new LongAdder();

    void hit(String tier, long nanos) {
        (tier.equals("exact") ? exactHits : vectorHits).increment();
        lookupNanos.add(nanos);
    }

    void miss(long nanos) {
        misses.increment();
        lookupNanos.add(nanos);
    }

    void bypass() {
        bypasses.increment();
    }

    void stored() {
        stores.increment();
    }

    void error() {
        errors.increment();
    }

    void evicted(long count) {
        evicted.addAndGet(count);
    }

    /** Hits over lookups that reached the cache (bypassed queries are not lookups). */
    public double hitRate() {
        long hits = exactHits.sum() + vectorHits.sum();
        long lookups = hits + misses.sum();
        return lookups == 0 ? 0.0 : (double) hits / lookups;
    }

    public Map<String, Object> snapshot() {
        long lookups = exactHits.sum() + vectorHits.sum() + misses.sum();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("lookups", lookups);
        out.put("hit_rate", hitRate());
        out.put("exact_hits", exactHits.sum());
        out.put("vector_hits", vectorHits.sum());
        out.put("misses", misses.sum());
        out.put("bypassed", bypasses.sum());
        out.put("stored", stores.sum());
        out.put("evicted", evicted.get());
        out.put("errors", errors.sum());
        out.put("mean_lookup_ms", lookups == 0 ? 0.0 : lookupNanos.sum() / 1e6 / lookups);
        return out;
    }
}
