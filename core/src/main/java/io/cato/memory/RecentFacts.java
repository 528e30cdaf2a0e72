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
 * <p>Concurrent queries of a domain whose copy has run out share one read. A failed read is not
 * kept: the next query tries again.
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
        Copy copy = fresh(copies.get(key), limit);
        if (copy != null) {
            return copy.facts();
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

    /** The copy when it is still fresh and was read with at least this limit. */
    private Copy fresh(Copy copy, int limit) {
        if (copy == null || copy.limit() < limit || !clock.instant().isBefore(copy.readAt().plus(ttl))) {
            return null;
        }
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
