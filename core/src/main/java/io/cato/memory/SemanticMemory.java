package io.cato.memory;

import java.util.List;
import java.util.Optional;

/**
 * Long-term memory of facts, by tenant and domain. Implementations throw
 * {@link io.cato.dependency.DependencyUnavailableException} when the store cannot be reached.
 */
public interface SemanticMemory {

    /** Stores the fact unless one with its id is already there (which is then left untouched); true when stored. */
    boolean add(Fact fact);

    /** Facts of one domain, at most {@code limit}, in no particular order. */
    List<Fact> inDomain(String tenant, String domain, int limit);

    Optional<Fact> get(String tenant, String domain, String id);
}
