package io.cato.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicReference;

/** A clock that stands still until a test moves it; starts at the real now (DynamoDB Local expires by TTL). */
public final class MutableClock extends Clock {
    private final AtomicReference<Instant> now;

    public MutableClock() {
        this(Instant.now());
    }

    public MutableClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    /**
     * A clock at the first second of the current minute, so that a test's few seconds stay in one minute's window;
     * or, when the day ends within half an hour, at the next day's first second, so that its minutes stay in one
     * day. Never more than a minute behind real time (DynamoDB Local deletes items whose TTL has passed).
     */
    public static MutableClock atTheStartOfAMinute() {
        Instant now = Instant.now();
        Instant midnight = now.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));
        return new MutableClock(Duration.between(now, midnight).compareTo(Duration.ofMinutes(30)) < 0
                ? midnight.plusSeconds(1) : now.truncatedTo(ChronoUnit.MINUTES).plusSeconds(1));
    }

    public void advance(Duration by) {
        now.updateAndGet(at -> at.plus(by));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
