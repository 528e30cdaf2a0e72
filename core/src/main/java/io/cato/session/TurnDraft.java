package io.cato.session;

import java.time.Instant;

/** A turn before the store has given it its place in the session. */
public record TurnDraft(String query, String answer, String model, Instant at) {

    public Turn at(long seq) {
        return new Turn(seq, query, answer, model, at);
    }
}
