package io.cato.memory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Semantic memory for tests and single-process use. */
public final class InMemorySemanticMemory implements SemanticMemory {
    private final Map<String, Map<String, Fact>> byScope = new ConcurrentHashMap<>();

    @Override
    public boolean add(Fact fact) {
        return byScope.computeIfAbsent(Fact.scope(fact.tenant(), fact.domain()), k -> new ConcurrentHashMap<>())
                .putIfAbsent(fact.id(), fact) == null;
    }

    @Override
    public List<Fact> inDomain(String tenant, String domain, int limit) {
        return byScope.getOrDefault(Fact.scope(tenant, domain), Map.of()).values().stream().limit(limit).toList();
    }

    @Override
    public Optional<Fact> get(String tenant, String domain, String id) {
        return Optional.ofNullable(byScope.getOrDefault(Fact.scope(tenant, domain), Map.of()).get(id));
    }
}
