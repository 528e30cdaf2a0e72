package io.cato.cache;

import java.time.Instant;
import java.util.Optional;

/**
 * The exact tier: the answer to a question in its exact form within a scope, found by key
 * before any embedding is computed. The key is the cache entry's id, shared with the vector tier.
 */
public interface ExactCache {

    /** A stored answer as the exact tier keeps it. */
    record Entry(String id, String domain, String answer, String model, String tier, Instant createdAt,
                 Instant expiresAt) {
    }

    /** The entry under {@code id} unless it has expired at {@code now}. */
    Optional<Entry> get(String id, Instant now);

    void put(Entry entry);

    boolean delete(String id);

    /** Removes every entry of a domain; returns how many. */
    long deleteDomain(String domain);
}
