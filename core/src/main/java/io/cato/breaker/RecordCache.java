package io.cato.breaker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * This instance's short-lived copies of the shared breaker records. When a copy expires, one call reads the record
 * again while the others go on with the copy, so a burst of calls makes one read, not one each; the record every
 * write returns replaces the copy, unless a newer one is already here.
 */
final class RecordCache {
    private record Cached(BreakerRecord record, Instant readAt) {
    }

    private final BreakerStore store;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<String, AtomicBoolean> refreshing = new ConcurrentHashMap<>();

    RecordCache(BreakerStore store, Duration ttl, Clock clock) {
        this.store = store;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The tier's record as last seen, read again once the copy is older than the TTL. */
    BreakerRecord current(String tier) {
        Cached entry = cache.get(tier);
        if (entry != null && clock.instant().isBefore(entry.readAt().plus(ttl))) {
            return entry.record();
        }
        if (entry == null) {
            return reread(tier);
        }
        // One call reads the record again; the others meanwhile go on with the copy they have.
        var flag = refreshing.computeIfAbsent(tier, t -> new AtomicBoolean());
        if (!flag.compareAndSet(false, true)) {
            return entry.record();
        }
        try {
            return reread(tier);
        } finally {
            flag.set(false);
        }
    }

    /** Reads the shared record now. */
    BreakerRecord reread(String tier) {
        BreakerRecord record = store.read(tier);
        cache.put(tier, new Cached(record, clock.instant()));
        return record;
    }

    /** Keeps the record a write returned. */
    void remember(BreakerRecord record) {
        Cached fresh = new Cached(record, clock.instant());
        // Concurrent calls may finish out of order; an older state never replaces a newer one.
        cache.merge(record.tier(), fresh, (old, neu) -> neu.record().version() >= old.record().version() ? neu : old);
    }
}
