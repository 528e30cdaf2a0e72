package io.cato.cache;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import java.util.Optional;

/** The exact tier in process memory, bounded, least recently used out first. Thread-safe. */
public final class InMemoryExactCache implements ExactCache {
    private final Map<String, Entry> entries;

    public InMemoryExactCache(int maxEntries) {
        this.entries = new LinkedHashMap<String, ExactCache.Entry>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ExactCache.Entry> eldest) {
                return size() > maxEntries;
            }
        };
    }

    @Override
    public synchronized Optional<Entry> get(String id, Instant now) {
        Entry entry = entries.get(id);
        if (entry != null && !now.isBefore(entry.expiresAt())) {
            entries.remove(id);
            return Optional.empty();
        }
        return Optional.ofNullable(entry);
    }

    @Override
    public synchronized void put(Entry entry) {
        entries.put(entry.id(), entry);
    }

    @Override
    public synchronized boolean delete(String id) {
        return entries.remove(id) != null;
    }

    @Override
    public synchronized long deleteDomain(String domain) {
        long before = entries.size();
        entries.values().removeIf(e -> e.domain().equals(domain));
        return before - entries.size();
    }
}
