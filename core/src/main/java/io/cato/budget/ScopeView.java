package io.cato.budget;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

/**
 * One scope's limits and usage, as the admin endpoint shows them.
 *
 * @param stored the limits an admin set, over {@code configured}, giving {@code effective}
 * @param limitsRefresh how long other instances may take to apply a change to {@code stored}
 */
public record ScopeView(Scope scope, LimitSet effective, LimitSet configured, LimitSet stored,
                        List<MeterView> meters, Instant at, Duration limitsRefresh) {

    public ScopeView {
        meters = List.copyOf(meters);
    }

    /**
     * One meter's current window.
     *
     * @param spent requests counted, tokens used, or nanodollars spent in the window
     * @param held reserved by requests and calls under way
     * @param expiredHeld the part of {@code held} whose holders are past their expiry (a sweep gives it back)
     */
    public record MeterView(Meter meter, OptionalLong limit, Meter.Window window, long spent, long held,
                            long expiredHeld) {

        /** What is left under the limit, if there is one; never negative. */
        public OptionalLong remaining() {
            return limit.isEmpty() ? OptionalLong.empty()
                    : OptionalLong.of(Math.max(0, limit.getAsLong() - spent - held + expiredHeld));
        }
    }
}
