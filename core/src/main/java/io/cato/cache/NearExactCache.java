package io.cato.cache;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exact tier with a small in-process copy of the entries this instance has read or written
 * in front of it, so a repeated question is answered without a store round trip. A copy is
 * trusted for {@code ttl}; after that, one request reads the entry again while the others
 * asking for it meanwhile are answered from the copy, for at most another {@code ttl}. A purge
 * made through another instance therefore reaches this one within {@code ttl}, or twice that
 * while a read is slow. Misses are never kept, so a new answer stored anywhere is found at once.
 */
public final class NearExactCache implements ExactCache {
    /** The defaults the deployments use: 10,000 entries, 5 seconds. */
    public static final int DEFAULT_ENTRIES = 10_000;
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(5);

    private record Copy(Entry entry, Instant keptUntil) {
    }

    private final ExactCache store;
    private final Duration ttl;
    private final Map<String, Copy> copies;
    private final ConcurrentHashMap<String, CompletableFuture<Optional<Entry>>> loading = new ConcurrentHashMap<>();

    public NearExactCache(ExactCache store, int maxEntries, Duration ttl) {
        this.store = store;
        this.ttl = ttl;
        this.copies = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Copy> eldest) {
                return size() > maxEntries;
            }
        };
    }

    public static NearExactCache withDefaults(ExactCache store) {
        return new NearExactCache(store, DEFAULT_ENTRIES, DEFAULT_TTL);
    }

    @Override
    public Optional<Entry> get(String id, Instant now) {
        Copy copy;
        synchronized (copies) {
            copy = copies.get(id);
        }
        if (copy != null && now.isBefore(copy.keptUntil()) && now.isBefore(copy.entry().expiresAt())) {
            return Optional.of(copy.entry());
        }
        // One read per id at a time: when a popular copy runs out, the requests that find it gone
        // share one store read instead of all reading at once, and while it is under way a copy
        // that ran out less than a ttl ago still answers them.
        CompletableFuture<Optional<Entry>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<Entry>> reading = loading.putIfAbsent(id, mine);
        if (reading != null) {
            if (copy != null && now.isBefore(copy.keptUntil().plus(ttl)) && now.isBefore(copy.entry().expiresAt())) {
                return Optional.of(copy.entry());
            }
            return reading.join();
        }
        try {
            Optional<Entry> found = store.get(id, now);
            synchronized (copies) {
                found.ifPresentOrElse(e -> copies.put(id, new Copy(e, now.plus(ttl))), () -> copies.remove(id));
            }
            mine.complete(found);
            return found;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            loading.remove(id, mine);
        }
    }

    @Override
    public void put(Entry entry) {
        store.put(entry);
        synchronized (copies) {
            copies.put(entry.id(), new Copy(entry, entry.createdAt().plus(ttl)));
        }
    }

    @Override
    public boolean delete(String id) {
        synchronized (copies) {
            copies.remove(id);
        }
        return store.delete(id);
    }

    @Override
    public long deleteDomain(String domain) {
        synchronized (copies) {
            copies.values().removeIf(copy -> copy.entry().domain().equals(domain));
        }
        return store.deleteDomain(domain);
    }
}
