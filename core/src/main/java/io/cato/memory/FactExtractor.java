package io.cato.memory;

import java.util.List;

/**
 * Finds the facts an answer states. Implementations are deterministic for one input where they
 * can be, because a consolidation step may run more than once for the same turn.
 */
public interface FactExtractor {

    List<CandidateFact> extract(String query, String answer, String domain);
}
