package io.cato.session;

import java.time.Instant;
import java.util.Optional;

/** A turn before the store has given it its place in the session. */
public record TurnDraft(String query, String answer, String model, Instant at, String domain) {

    public TurnDraft(String query, String answer, String model, Instant at) {
        this(query, answer, model, at, Turn.DEFAULT_DOMAIN);
    }

    public Turn at(long seq) {
        return new Turn(seq, query, answer, model, at, domain, Optional.empty());
    }
}
