package io.cato.memory;

import java.time.Instant;
import java.util.Optional;

/** How far each nightly workflow has read; advanced only after a run succeeded. */
public interface Watermarks {

    Optional<Instant> get(String workflow);

    /**
     * Moves the watermark from {@code expected} (empty: never set) to {@code to}. False, changing
     * nothing, when it is no longer at {@code expected} (another run moved it) or {@code to} is not later.
     */
    boolean advance(String workflow, Optional<Instant> expected, Instant to);
}
