package io.cato.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cato.config.Json;
import io.cato.testing.OpenAiStub;
import io.cato.testing.StallingUpstream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A streamed answer from an OpenAI-compatible tier is bounded: by the tier's time-out between chunks, and by its
 * caller. An unbounded stream would hang the test, so each one has a time-out of its own.
 */
@Timeout(30)
class OpenAiCompatibleStreamLimitsTest {

    private static OpenAiCompatibleModelClient client(URI baseUrl, Duration timeout) {
        TierConfig tier = TierConfig.builder().name("shadow").provider(Provider.OPENAI).modelId("llama-3-8b")
                .baseUrl(Optional.of(baseUrl.toString())).prices(TierConfig.Prices.FREE).timeout(timeout)
                .contextWindow(8192).historyBudget(4096).maxOutputTokens(512).build();
        return new OpenAiCompatibleModelClient(tier, HttpClient.newHttpClient(), Json.newMapper());
    }

    private static ModelRequest request(Duration deadline) {
        return new ModelRequest(null, List.of(ChatMessage.user("Tell me a story")), 100, 0.2, deadline);
    }

    @Test
    void aStreamThatStallsAfterItsFirstToken_failsTimedOut_andTheUpstreamCallIsClosed() throws Exception {
        try (StallingUpstream upstream = StallingUpstream.stallingAfterFirstChunk()) {
            List<String> deltas = new ArrayList<>();

            assertThatThrownBy(() -> client(upstream.baseUrl(), Duration.ofMillis(300))
                    .stream(request(Duration.ofSeconds(30)), deltas::add))
                    .isInstanceOfSatisfying(ModelCallException.class,
                            e -> assertThat(e.failure()).isInstanceOf(ModelFailure.TimedOut.class));
            assertThat(deltas).containsExactly("Hello");
            assertThat(upstream.closedByCaller(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void aStreamThatKeepsDrippingPastTheDeadline_failsTimedOutAtTheDeadline() {
        try (StallingUpstream upstream = StallingUpstream.dripping(Duration.ofMillis(50))) {
            List<String> deltas = new ArrayList<>();

            assertThatThrownBy(() -> client(upstream.baseUrl(), Duration.ofSeconds(5))
                    .stream(request(Duration.ofMillis(600)), deltas::add))
                    .isInstanceOfSatisfying(ModelCallException.class,
                            e -> assertThat(e.failure()).isInstanceOf(ModelFailure.TimedOut.class));
            assertThat(deltas).hasSizeGreaterThan(1);
        }
    }

    @Test
    void aCallerThatGoesAway_endsTheCall_withoutCountingItAsTheTiersFailure() throws Exception {
        try (StallingUpstream upstream = StallingUpstream.dripping(Duration.ofMillis(50))) {
            List<String> deltas = new ArrayList<>();

            assertThatThrownBy(() -> client(upstream.baseUrl(), Duration.ofSeconds(5))
                    .stream(request(Duration.ofSeconds(30)), delta -> {
                        deltas.add(delta);
                        if (deltas.size() == 3) {
                            throw new CallerGoneException(new IOException("broken pipe"));
                        }
                    }))
                    .isInstanceOf(CallerGoneException.class);
            assertThat(upstream.closedByCaller(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void aStreamThatEndsWithoutItsLastChunk_isABrokenAnswer() {
        try (OpenAiStub stub = new OpenAiStub().answeringRaw(
                "data: {\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Half an ans\"}}]}\n\n")) {
            assertThatThrownBy(() -> client(stub.baseUrl(), Duration.ofSeconds(5))
                    .stream(request(Duration.ofSeconds(5)), delta -> { }))
                    .isInstanceOfSatisfying(ModelCallException.class,
                            e -> assertThat(e.failure()).isInstanceOf(ModelFailure.Unavailable.class));
        }
    }
}
