package io.cato.cache;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The vector tier of the semantic cache: cached questions by their pooled vector, searchable
 * within one {@link CacheScope}. Vectors are unit length; similarity is their cosine.
 * Implementations are thread-safe; a {@link #put} is visible to the next {@link #nearest}.
 */
public interface VectorIndex extends AutoCloseable {

    /** A candidate and the cosine similarity of its vector to the query vector. */
    record Neighbour(CacheEntry entry, double similarity) {
    }

    /** Adds the entry, replacing any entry with the same id. */
    void put(CacheEntry entry);

    /**
     * Up to {@code k} entries of the scope whose key is {@code scopeKey} that have not expired at
     * {@code now}, most similar first.
     */
    List<Neighbour> nearest(float[] vector, String scopeKey, int k, Instant now);

    Optional<CacheEntry> get(String id);

    /** Removes one entry; false when there was none. */
    boolean delete(String id);

    /** Removes every entry of a domain (all tenants); returns how many were removed. */
    long deleteDomain(String domain);

    /** Removes entries expired at {@code now}, then the oldest ones until at most {@code maxEntries} remain. */
    long evict(Instant now, long maxEntries);

    /** Entries currently held, expired ones not yet evicted included. */
    long size();

    @Override
    void close();
}
