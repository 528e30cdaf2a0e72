package io.cato.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cato.local.LocalCato;
import io.cato.testing.OpenAiStub;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping the server (Ctrl-C, SIGTERM from an orchestrator) while a request waits on its model. */
class GracefulStopTest {
    private static final String QUESTION = "What is the tallest mountain in Africa?";

    @Test
    void stopWhileAQuestionWaitsOnTheModel_answersIt_keepsItsAnswer_andStopsAfterwards(@TempDir Path data)
            throws Exception {
        try (OpenAiStub model = new OpenAiStub().answering("Kilimanjaro.").delay(Duration.ofSeconds(2))) {
            Map<String, String> env = Map.of("CATO_TIER_SHADOW_BASE_URL", model.baseUrl().toString());
            LocalCato cato = RunningCato.start(data, env);
            Http http = new Http(cato.port());
            CompletableFuture<JsonNode> asked = CompletableFuture.supplyAsync(() -> http.query("stop-1", QUESTION));
            awaitCalls(model, 1);

            CompletableFuture<Long> stopped = CompletableFuture.supplyAsync(() -> {
                cato.close();
                return System.nanoTime();
            });
            JsonNode answer = asked.get(30, TimeUnit.SECONDS);
            long answeredAt = System.nanoTime();

            assertThat(answer.path("response").asText()).isEqualTo("Kilimanjaro.");
            assertThat(answer.path("cached").asBoolean()).isFalse();
            assertThat(stopped.get(30, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(answeredAt - TimeUnit.SECONDS.toNanos(1));

            try (LocalCato again = RunningCato.start(data, env)) {
                JsonNode second = new Http(again.port()).query("stop-2", QUESTION);
                assertThat(second.path("response").asText()).isEqualTo("Kilimanjaro.");
                assertThat(second.path("cached").asBoolean()).isTrue();
            }
            assertThat(model.calls()).isEqualTo(1);
        }
    }

    private static void awaitCalls(OpenAiStub model, int calls) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (model.calls() < calls) {
            assertThat(System.nanoTime()).as("model calls reached " + calls).isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
