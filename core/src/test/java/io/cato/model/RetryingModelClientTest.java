package io.cato.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RetryingModelClientTest {
    private static final ModelReply ANSWER = new ModelReply("Paris.", "sonnet", new TokenUsage(10, 2, 0));
    private static final RetryingModelClient.Backoff BACKOFF =
            new RetryingModelClient.Backoff(Duration.ofMillis(100), Duration.ofMillis(300), 5);

    private long nanos;
    private final List<Duration> sleeps = new ArrayList<>();
    private final List<Long> randomBounds = new ArrayList<>();
    /** Fraction of the allowed pause the "random" draw returns: 1.0 is always the ceiling. */
    private double draw = 1.0;
    private final ScriptedClient tier = new ScriptedClient();

    private RetryingModelClient retrying() {
        RandomGenerator random = new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException("only bounded draws are expected");
            }

            @Override
            public long nextLong(long bound) {
                randomBounds.add(bound);
                return Math.min(bound - 1, (long) (bound * draw));
            }
        };
        return new RetryingModelClient(tier, BACKOFF, pause -> {
            sleeps.add(pause);
            nanos += pause.toNanos();
        }, random, () -> nanos);
    }

    private static ModelRequest request(Duration deadline) {
        return new ModelRequest(null, List.of(ChatMessage.user("Capital of France?")), 100, 0.2, deadline);
    }

    private static ModelCallException throttled(String detail) {
        return new ModelCallException("sonnet", new ModelFailure.Throttled(detail));
    }

    @Test
    void throttledTwice_thenAnswered_returnsTheAnswerAfterTwoExponentialPauses() {
        tier.fail(throttled("1")).fail(throttled("2")).answer();

        ModelReply reply = retrying().complete(request(Duration.ofSeconds(5)));

        assertThat(reply).isEqualTo(ANSWER);
        assertThat(tier.calls).isEqualTo(3);
        assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void pauses_areDrawnUniformlyUpToTheCappedCeiling() {
        draw = 0.5;
        tier.fail(throttled("1")).fail(throttled("2")).fail(throttled("3")).fail(throttled("4")).answer();

        retrying().complete(request(Duration.ofSeconds(5)));

        assertThat(randomBounds).containsExactly(ms(100) + 1, ms(200) + 1, ms(300) + 1, ms(300) + 1);
        assertThat(sleeps).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(150),
                Duration.ofMillis(150));
    }

    @Test
    void otherFailures_areNotRetried() {
        ModelCallException unavailable = new ModelCallException("sonnet", new ModelFailure.Unavailable("HTTP 500"));
        tier.fail(unavailable).answer();

        assertThatThrownBy(() -> retrying().complete(request(Duration.ofSeconds(5)))).isSameAs(unavailable);
        assertThat(tier.calls).isEqualTo(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void nextPausePastTheDeadline_givesUpWithTheLastThrottle() {
        ModelCallException last = throttled("2");
        tier.fail(throttled("1")).fail(last).answer();

        assertThatThrownBy(() -> retrying().complete(request(Duration.ofMillis(250)))).isSameAs(last);
        assertThat(tier.calls).isEqualTo(2);
        assertThat(sleeps).containsExactly(Duration.ofMillis(100));
    }

    @Test
    void slowAttempts_countAgainstTheDeadline_andRetriesGetOnlyTheTimeLeft() {
        tier.callTakes(Duration.ofMillis(400)).fail(throttled("1")).fail(throttled("2")).fail(throttled("3")).answer();

        assertThatThrownBy(() -> retrying().complete(request(Duration.ofSeconds(1))))
                .hasMessageContaining("Throttled (2)");
        assertThat(tier.deadlines).containsExactly(Duration.ofSeconds(1), Duration.ofMillis(500));
    }

    @Test
    void attempts_areCappedEvenWithTimeLeft() {
        for (int i = 1; i <= 6; i++) {
            tier.fail(throttled(String.valueOf(i)));
        }

        assertThatThrownBy(() -> retrying().complete(request(Duration.ofMinutes(1)))).hasMessageContaining("(5)");
        assertThat(tier.calls).isEqualTo(BACKOFF.maxAttempts());
    }

    @Test
    void stream_throttledBeforeTheFirstDelta_isRetried() {
        tier.fail(throttled("1")).answer();
        List<String> deltas = new ArrayList<>();

        ModelReply reply = retrying().stream(request(Duration.ofSeconds(5)), deltas::add);

        assertThat(reply).isEqualTo(ANSWER);
        assertThat(deltas).containsExactly("Par", "is.");
        assertThat(tier.calls).isEqualTo(2);
    }

    @Test
    void stream_throttledAfterADelta_isNeverRetried() {
        ModelCallException midStream = throttled("mid-stream");
        tier.failAfterDelta(midStream).answer();
        List<String> deltas = new ArrayList<>();

        assertThatThrownBy(() -> retrying().stream(request(Duration.ofSeconds(5)), deltas::add)).isSameAs(midStream);
        assertThat(deltas).containsExactly("Par");
        assertThat(tier.calls).isEqualTo(1);
    }

    @Test
    void interruptedWhilePausing_throwsTheThrottleAndKeepsTheInterrupt() {
        ModelCallException first = throttled("1");
        tier.fail(first).answer();
        var client = new RetryingModelClient(tier, BACKOFF, pause -> {
            throw new InterruptedException();
        }, RandomGenerator.of("L64X128MixRandom"), () -> nanos);

        try {
            assertThatThrownBy(() -> client.complete(request(Duration.ofSeconds(5)))).isSameAs(first);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    private static long ms(long millis) {
        return Duration.ofMillis(millis).toNanos();
    }

    /** A tier that plays a script: each call takes the next step. */
    private final class ScriptedClient implements ModelClient {
        private final Deque<Step> script = new ArrayDeque<>();
        private final List<Duration> deadlines = new ArrayList<>();
        private Duration callTakes = Duration.ZERO;
        private int calls;

        private record Step(ModelCallException failure, boolean afterDelta) {
        }

        ScriptedClient callTakes(Duration duration) {
            callTakes = duration;
            return this;
        }

        ScriptedClient fail(ModelCallException failure) {
            script.add(new Step(failure, false));
            return this;
        }

        ScriptedClient failAfterDelta(ModelCallException failure) {
            script.add(new Step(failure, true));
            return this;
        }

        ScriptedClient answer() {
            script.add(new Step(null, false));
            return this;
        }

        @Override
        public ModelReply complete(ModelRequest request) {
            return stream(request, delta -> { });
        }

        @Override
        public ModelReply stream(ModelRequest request, Consumer<String> onDelta) {
            calls++;
            deadlines.add(request.deadline());
            nanos += callTakes.toNanos();
            Step step = script.removeFirst();
            if (step.failure() != null && !step.afterDelta()) {
                throw step.failure();
            }
            onDelta.accept("Par");
            if (step.failure() != null) {
                throw step.failure();
            }
            onDelta.accept("is.");
            return ANSWER;
        }
    }
}
