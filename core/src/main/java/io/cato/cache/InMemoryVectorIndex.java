package io.cato.cache;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The in-process {@link VectorIndex}: an exact scan over the entries of one scope. It answers the
 * same questions as the persistent adapters (Lucene in the embedded default, OpenSearch in AWS)
 * without their engines, so the core's cache and routing logic is tested without them; it is
 * exact where they are approximate, which makes it the reference the contract test compares to.
 * Closing it makes every later call fail, as a closed engine does.
 */
public final class InMemoryVectorIndex implements VectorIndex {
    private final Map<String, CacheEntry> entries = new LinkedHashMap<>();
    private boolean closed;

    @Override
    public synchronized void put(CacheEntry entry) {
        open();
        entries.put(entry.id(), entry);
    }

    @Override
    public synchronized List<Neighbour> nearest(float[] vector, String scopeKey, int k, Instant now) {
        open();
        List<Neighbour> found = new ArrayList<>();
        for (CacheEntry entry : entries.values()) {
            if (entry.scope().key().equals(scopeKey) && !entry.expiredAt(now)) {
                found.add(new Neighbour(entry, dot(vector, entry.vector())));
            }
        }
        found.sort(Comparator.comparingDouble(Neighbour::similarity).reversed());
        return List.copyOf(found.subList(0, Math.min(k, found.size())));
    }

    @Override
    public synchronized Optional<CacheEntry> get(String id) {
        open();
        return Optional.ofNullable(entries.get(id));
    }

    @Override
    public synchronized boolean delete(String id) {
        open();
        return entries.remove(id) != null;
    }

    @Override
    public synchronized long deleteDomain(String domain) {
        open();
        int before = entries.size();
        entries.values().removeIf(entry -> entry.scope().domain().equals(domain));
        return before - entries.size();
    }

    @Override
    public synchronized long evict(Instant now, long maxEntries) {
        open();
        int before = entries.size();
        entries.values().removeIf(entry -> entry.expiredAt(now));
        long excess = entries.size() - maxEntries;
        if (excess > 0) {
            entries.values().stream().sorted(Comparator.comparing(CacheEntry::createdAt)).limit(excess)
                    .map(CacheEntry::id).toList().forEach(entries::remove);
        }
        return before - entries.size();
    }

    @Override
    public synchronized long size() {
        open();
        return entries.size();
    }

    @Override
    public synchronized void close() {
        closed = true;
        entries.clear();
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException("the vector index is closed");
        }
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
