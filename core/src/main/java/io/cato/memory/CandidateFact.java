package io.cato.memory;

/** A statement a {@link FactExtractor} found worth remembering, before de-duplication. */
public record CandidateFact(String statement, double confidence) {
}
