package io.cato.testing;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.IntFunction;

/**
 * For tests against a server on the real clock: runs an attempt whose requests must fall in one UTC minute (one
 * window of a per-minute limit), and runs it again when the minute turned while it ran, at most twice more. Each
 * attempt is given its number, to name a caller of its own: counts left in a window by an earlier attempt must not
 * touch it.
 */
public final class OneMinute {
    private static final int ATTEMPTS = 3;

    private OneMinute() {
    }

    public static <T> T within(IntFunction<T> attempt) {
        for (int i = 1; ; i++) {
            Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
            T result = attempt.apply(i);
            if (Instant.now().truncatedTo(ChronoUnit.MINUTES).equals(minute) || i == ATTEMPTS) {
                return result;
            }
        }
    }
}
