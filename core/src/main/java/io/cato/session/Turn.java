package io.cato.session;

import io.cato.verification.Verdict;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One exchange in a conversation: what the user asked and what Cato answered.
 *
 * @param seq position in the session, 1 for the first turn; gaps never occur
 * @param model the model (or "memory") that produced the answer
 * @param domain the domain the query was asked in; consolidation files the facts it yields there
 * @param verdict the verification of the answer, once the verify workflow has judged it
 */
public record Turn(long seq, String query, String answer, String model, Instant at, String domain,
                   Optional<Verdict> verdict) {

    /** The domain of queries that named none. */
    public static final String DEFAULT_DOMAIN = "general";

    public Turn {
        domain = domain == null || domain.isBlank() ? DEFAULT_DOMAIN : domain;
        Objects.requireNonNull(verdict, "verdict");
    }

    public Turn(long seq, String query, String answer, String model, Instant at) {
        this(seq, query, answer, model, at, DEFAULT_DOMAIN, Optional.empty());
    }
}
