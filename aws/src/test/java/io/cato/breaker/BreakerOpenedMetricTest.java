package io.cato.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cato.aws.metrics.PowertoolsMetricsSink;
import io.cato.aws.testing.StandardOutput;
import io.cato.model.ModelFailure;
import io.cato.testing.MutableClock;
import org.junit.jupiter.api.Test;

/** A breaker that opens is published once, as Powertools' EMF document with the tier. */
class BreakerOpenedMetricTest {
    private static final String SONNET = "bedrock_sonnet";
    private static final ModelFailure THROTTLED = new ModelFailure.Throttled("429");
    private final BreakerPolicy policy = BreakerPolicy.defaults();
    private final MutableClock clock = new MutableClock();
    private final InMemoryBreakerStore store = new InMemoryBreakerStore();

    private void fail(CircuitBreakers on, int times, ModelFailure failure) {
        for (int i = 0; i < times; i++) {
            on.onFailure(on.acquire(SONNET), failure);
        }
    }

    @Test
    void openingIsPublishedOnceAsABreakerOpenedMetric() {
        var sink = new PowertoolsMetricsSink("Cato", "cato-route", clock);
        CircuitBreakers published = new CircuitBreakers(store, policy, clock, sink::breakerOpened);

        fail(published, 5, THROTTLED);
        assertThatThrownBy(() -> published.acquire(SONNET)).isInstanceOf(CircuitOpenException.class);

        assertThat(StandardOutput.of(sink::flush).lines().toList()).singleElement()
                .satisfies(line -> assertThat(line).contains("\"BreakerOpened\":1", "\"Tier\":\"" + SONNET + "\"",
                        "\"Namespace\":\"Cato\""));
    }
}
