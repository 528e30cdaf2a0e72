package io.cato.model;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Retries a throttled tier with full-jitter exponential backoff, within the request's deadline.
 * Only {@link ModelFailure.Throttled} is retried: every other failure goes straight to the
 * fallback chain, which is the better place to recover from it. A stream is never retried once a
 * delta has reached the caller. When the next pause would run past the deadline, or the attempts
 * are spent, the last throttling failure is thrown so the chain can move on.
 *
 * <p>Full jitter (a pause drawn uniformly from {@code [0, min(cap, base * 2^retry)]}) spreads the
 * retries of many Lambda environments throttled at the same moment instead of synchronising them.
 */
public final class RetryingModelClient implements ModelClient {

    /** @param maxAttempts calls in all, the first one included */
    public record Backoff(Duration base, Duration cap, int maxAttempts) {
        public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), 4);

        public Backoff {
            if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0 || maxAttempts < 1) {
                throw new IllegalArgumentException("backoff needs 0 < base <= cap and at least one attempt");
            }
        }

        /** The longest pause before retry number {@code retry} (0 for the first retry). */
        Duration ceiling(int retry) {
            Duration ceiling = base.multipliedBy(1L << Math.min(retry, 30));
            return ceiling.compareTo(cap) > 0 ? cap : ceiling;
        }
    }

    /** Waits between attempts; injectable so tests need not sleep. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration pause) throws InterruptedException;
    }

    private final ModelClient delegate;
    private final Backoff backoff;
    private final Sleeper sleeper;
    private final RandomGenerator random;
    private final LongSupplier nanoTime;

    public RetryingModelClient(ModelClient delegate, Backoff backoff, Sleeper sleeper, RandomGenerator random,
                               LongSupplier nanoTime) {
        this.delegate = delegate;
        this.backoff = backoff;
        this.sleeper = sleeper;
        this.random = random;
        this.nanoTime = nanoTime;
    }

    /**
     * Real sleeps and clock. SecureRandom draws fresh entropy after a SnapStart restore, so
     * environments restored from one snapshot do not share their jitter.
     */
    public static RetryingModelClient withDefaults(ModelClient delegate) {
        return new RetryingModelClient(delegate, Backoff.DEFAULT, Thread::sleep, new SecureRandom(), System::nanoTime);
    }

    @Override
    public ModelReply complete(ModelRequest request) {
        return call(request, delegate::complete, () -> false);
    }

    @Override
    public ModelReply stream(ModelRequest request, Consumer<String> onDelta) {
        DeltaWatch watch = new DeltaWatch(onDelta);
        return call(request, attempt -> delegate.stream(attempt, watch), watch::started);
    }

    private ModelReply call(ModelRequest request, Function<ModelRequest, ModelReply> attempt, BooleanSupplier streamed) {
        long started = nanoTime.getAsLong();
        ModelRequest next = request;
        for (int retry = 0; ; retry++) {
            try {
                return attempt.apply(next);
            } catch (ModelCallException e) {
                if (!(e.failure() instanceof ModelFailure.Throttled) || streamed.getAsBoolean()
                        || retry + 1 >= backoff.maxAttempts()) {
                    throw e;
                }
                Duration pause = jitter(retry);
                Duration elapsed = Duration.ofNanos(nanoTime.getAsLong() - started);
                if (elapsed.plus(pause).compareTo(request.deadline()) >= 0) {
                    throw e;
                }
                pause(pause, e);
                next = request.withDeadline(request.deadline().minusNanos(nanoTime.getAsLong() - started));
            }
        }
    }

    private Duration jitter(int retry) {
        return Duration.ofNanos(random.nextLong(backoff.ceiling(retry).toNanos() + 1));
    }

    private void pause(Duration pause, ModelCallException lastFailure) {
        try {
            sleeper.sleep(pause);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw lastFailure;
        }
    }

    /** Passes deltas on and remembers whether any reached the caller. */
    private static final class DeltaWatch implements StreamSink {
        private final Consumer<String> target;
        private volatile boolean started;

        DeltaWatch(Consumer<String> target) {
            this.target = target;
        }

        @Override
        public void accept(String delta) {
            started = true;
            target.accept(delta);
        }

        @Override
        public void toolCall(ToolCallDelta delta) {
            started = true;
            StreamSink.toolCall(target, delta);
        }

        boolean started() {
            return started;
        }
    }
}
