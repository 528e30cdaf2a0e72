package io.cato.session;

import java.time.Instant;

/**
 * One exchange in a conversation: what the user asked and what Cato answered.
 *
 * @param seq position in the session, 1 for the first turn; gaps never occur
 * @param model the model (or "memory") that produced the answer
 */
public record Turn(long seq, String query, String answer, String model, Instant at) {
}
