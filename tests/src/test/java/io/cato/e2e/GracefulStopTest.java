package io.cato.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cato.local.LocalCato;
import io.cato.testing.OpenAiStub;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
            assertThat(stopped.get(30, TimeUnit.SECONDS))
                    .isGreaterThanOrEqualTo(answeredAt - TimeUnit.SECONDS.toNanos(1));

            try (LocalCato again = RunningCato.start(data, env)) {
                JsonNode second = new Http(again.port()).query("stop-2", QUESTION);
                assertThat(second.path("response").asText()).isEqualTo("Kilimanjaro.");
                assertThat(second.path("cached").asBoolean()).isTrue();
            }
            assertThat(model.calls()).isEqualTo(1);
        }
    }

    @Test
    void aRequestOnAnOpenConnectionWhileStopping_isAnswered503UnavailableWithRetryAfter(@TempDir Path data)
            throws Exception {
        try (OpenAiStub model = new OpenAiStub().answering("Kilimanjaro.").delay(Duration.ofSeconds(3))) {
            LocalCato cato = RunningCato.start(data, Map.of("CATO_TIER_SHADOW_BASE_URL", model.baseUrl().toString(),
                    "CATO_CACHE_ENABLED", "false"));
            int port = cato.port();
            try (Socket idle = new Socket("127.0.0.1", port)) {
                Http http = new Http(port);
                CompletableFuture<JsonNode> asked = CompletableFuture.supplyAsync(() -> http.query("stop-3", QUESTION));
                awaitCalls(model, 1);
                CompletableFuture<Void> stopped = CompletableFuture.runAsync(cato::close);
                awaitRefused(port);

                String body = "{\"query\":\"Is anyone there?\"}";
                OutputStream out = idle.getOutputStream();
                out.write(("POST /api/cato/query HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n"
                        + "content-length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
                out.flush();
                BufferedReader in = new BufferedReader(
                        new InputStreamReader(idle.getInputStream(), StandardCharsets.UTF_8));
                String status = in.readLine();
                StringBuilder rest = new StringBuilder();
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    rest.append(line.toLowerCase(java.util.Locale.ROOT)).append('\n');
                }

                assertThat(status).isEqualTo("HTTP/1.1 503 Service Unavailable");
                assertThat(rest.toString()).contains("retry-after: 1").contains("\"code\":\"unavailable\"");
                assertThat(asked.get(30, TimeUnit.SECONDS).path("response").asText()).isEqualTo("Kilimanjaro.");
                stopped.get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Waits until the server no longer accepts connections: it has begun to stop. */
    private static void awaitRefused(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
            } catch (java.io.IOException refused) {
                return;
            }
            assertThat(System.nanoTime()).as("the server stopped accepting").isLessThan(deadline);
            Thread.sleep(20);
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
