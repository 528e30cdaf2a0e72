package io.cato.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps each domain's facts, as last read from long-term memory, for a short while, so the answer
 * path reads a domain's facts once per {@code ttl} instead of once per query. Facts change when
 * consolidation runs (nightly, or on demand): an instance sees new ones within {@code ttl}, and at
 * once when they were added through this object.
 *
 * <p>Concurrent queries of a domain without a copy share one read. Once a copy has run out, one
 * query reads the domain again while the others go on with the copy, so no query waits on a slow
 * store behind another; a read that fails keeps the old copy in use, and the next query tries
 * again. Without any copy, a failed read is the query's failure and is not kept.
 */
public final class RecentFacts implements SemanticMemory {
    /** How long a domain's facts are reused unless configured otherwise. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(30);

    private record Key(String tenant, String domain) {
    }

    private record Copy(List<Fact> facts, int limit, Instant readAt) {
    }

    private final SemanticMemory store;
    private final Duration ttl;
    private final Clock clock;
    private final Map<Key, Copy> copies = new ConcurrentHashMap<>();
    private final Map<Key, Object> locks = new ConcurrentHashMap<>();
    private final java.util.Set<Key> rereading = ConcurrentHashMap.newKeySet();

    public RecentFacts(SemanticMemory store, Duration ttl, Clock clock) {
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("facts copy ttl must not be negative");
        }
        this.store = store;
        this.ttl = ttl;
        this.clock = clock;
    }

    @Override
    public boolean add(Fact fact) {
        boolean stored = store.add(fact);
        copies.remove(new Key(fact.tenant(), fact.domain()));
        return stored;
    }

    @Override
    public List<Fact> inDomain(String tenant, String domain, int limit) {
        Key key = new Key(tenant, domain);
        Copy current = copies.get(key);
        Copy copy = fresh(current, limit);
        if (copy != null) {
            return copy.facts();
        }
        if (current != null && current.limit() >= limit) {
            return reread(key, tenant, domain, limit, cut(current, limit));
        }
        synchronized (locks.computeIfAbsent(key, k -> new Object())) {
            copy = fresh(copies.get(key), limit);
            if (copy == null) {
                copy = new Copy(List.copyOf(store.inDomain(tenant, domain, limit)), limit, clock.instant());
                copies.put(key, copy);
            }
            return copy.facts();
        }
    }

    /** One query reads an expired domain again; the others, and this one if the read fails, use the old copy. */
    private List<Fact> reread(Key key, String tenant, String domain, int limit, Copy old) {
        if (!rereading.add(key)) {
            return old.facts();
        }
        try {
            Copy copy = new Copy(List.copyOf(store.inDomain(tenant, domain, limit)), limit, clock.instant());
            copies.put(key, copy);
            return copy.facts();
        } catch (RuntimeException e) {
            return old.facts();
        } finally {
            rereading.remove(key);
        }
    }

    /** The copy when it is still fresh and was read with at least this limit. */
    private Copy fresh(Copy copy, int limit) {
        if (copy == null || copy.limit() < limit || !clock.instant().isBefore(copy.readAt().plus(ttl))) {
            return null;
        }
        return cut(copy, limit);
    }

    private static Copy cut(Copy copy, int limit) {
        return copy.facts().size() > limit ? new Copy(copy.facts().subList(0, limit), limit, copy.readAt()) : copy;
    }

    @Override
    public Optional<Fact> get(String tenant, String domain, String id) {
        return store.get(tenant, domain, id);
    }

    /**
     * The store itself, for a reader that must see it as it is now (consolidation comparing new facts with stored
     * ones); facts added through it still replace this object's copy of their domain.
     */
    public SemanticMemory direct() {
        return new SemanticMemory() {
            @Override
            public boolean add(Fact fact) {
                return RecentFacts.this.add(fact);
            }

            @Override
            public List<Fact> inDomain(String tenant, String domain, int limit) {
                return store.inDomain(tenant, domain, limit);
            }

            @Override
            public Optional<Fact> get(String tenant, String domain, String id) {
                return store.get(tenant, domain, id);
            }
        };
    }

    /** Forgets every copy, so the next query of each domain reads its facts again. */
    public void forget() {
        copies.clear();
    }
}
