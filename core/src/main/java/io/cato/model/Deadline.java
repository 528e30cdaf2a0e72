package io.cato.model;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The moment by which a request must be answered, on the monotonic clock. It is set once at the edge and every
 * hop after it (the fallback chain, retries, a wait behind another request answering the same question) asks it
 * how much time is left instead of starting a clock of its own, so the hops together can never outlast it.
 */
public final class Deadline {
    private final long atNanos;
    private final LongSupplier nanoTime;

    private Deadline(long atNanos, LongSupplier nanoTime) {
        this.atNanos = atNanos;
        this.nanoTime = nanoTime;
    }

    /** A deadline {@code budget} from now. */
    public static Deadline after(Duration budget) {
        return after(budget, System::nanoTime);
    }

    /** A deadline {@code budget} from now on the given monotonic clock (tests pass a controllable one). */
    public static Deadline after(Duration budget, LongSupplier nanoTime) {
        return new Deadline(nanoTime.getAsLong() + budget.toNanos(), nanoTime);
    }

    /** Time left, never negative. */
    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, atNanos - nanoTime.getAsLong()));
    }

    public boolean expired() {
        return atNanos - nanoTime.getAsLong() <= 0;
    }

    /** This deadline, or {@code limit} from now when that comes first. */
    public Deadline within(Duration limit) {
        long other = nanoTime.getAsLong() + limit.toNanos();
        return other - atNanos < 0 ? new Deadline(other, nanoTime) : this;
    }

    /** A deadline {@code reserve} earlier than this one: time kept back for what must still happen after. */
    public Deadline minus(Duration reserve) {
        return new Deadline(atNanos - reserve.toNanos(), nanoTime);
    }

    @Override
    public String toString() {
        return "Deadline[remaining=" + remaining() + "]";
    }
}
