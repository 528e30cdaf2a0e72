package io.cato.session;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Stored turns read across sessions, for the nightly workflows: consolidation reads what was
 * said since its watermark, curiosity looks for answers that were not good enough.
 */
public interface InteractionLog {

    /** One stored turn and the session it belongs to. */
    record Interaction(String sessionKey, Turn turn) {
        /** The tenant part of {@code tenant#session_id}. */
        public String tenant() {
            int hash = sessionKey.indexOf('#');
            return hash < 0 ? sessionKey : sessionKey.substring(0, hash);
        }

        /** A stable reference to the turn, used as provenance and as an idempotency key. */
        public String reference() {
            return sessionKey + "#" + turn.seq();
        }
    }

    /** Turns whose time is in {@code [from, until]}, oldest first, at most {@code limit}. */
    List<Interaction> between(Instant from, Instant until, int limit);

    Optional<Turn> turn(String sessionKey, long seq);
}
