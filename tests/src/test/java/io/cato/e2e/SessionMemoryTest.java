package io.cato.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cato.local.LocalCato;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Conversation state through HTTP on the embedded default, with no model configured. */
class SessionMemoryTest {

    @Test
    void nameToldInOneSession_isRecalledThereOnly_andSurvivesARestart(@TempDir Path data) {
        try (LocalCato cato = RunningCato.start(data, Map.of())) {
            Http http = new Http(cato.port());
            http.query("A", "My name is Alice");

            JsonNode recalled = http.query("A", "What is my name?");
            JsonNode stranger = http.query("B", "What is my name?");

            assertThat(recalled.path("response").asText()).contains("Alice");
            assertThat(recalled.path("model").asText()).isEqualTo("memory");
            assertThat(stranger.path("response").asText()).doesNotContain("Alice");
        }
        try (LocalCato restarted = RunningCato.start(data, Map.of())) {
            JsonNode afterRestart = new Http(restarted.port()).query("A", "What is my name?");

            assertThat(afterRestart.path("response").asText()).contains("Alice");
            assertThat(afterRestart.path("turn").asLong()).isEqualTo(3);
        }
    }

    @Test
    void fiftyClientsAppendingToOneSession_loseNoTurn(@TempDir Path data) throws Exception {
        try (LocalCato cato = RunningCato.start(data, Map.of())) {
            Http http = new Http(cato.port());
            List<Callable<HttpResponse<String>>> clients = IntStream.range(0, 50)
                    .<Callable<HttpResponse<String>>>mapToObj(i -> () -> http.postJson("/api/cato/query",
                            "{\"query\":\"note number " + i + "\",\"session_id\":\"shared\"}"))
                    .toList();
            List<Long> turns = new java.util.ArrayList<>();
            try (var pool = Executors.newFixedThreadPool(50)) {
                for (Future<HttpResponse<String>> f : pool.invokeAll(clients)) {
                    assertThat(f.get().statusCode()).as(f.get().body()).isEqualTo(200);
                    turns.add(Http.json(f.get().body()).path("turn").asLong());
                }
            }

            assertThat(turns).containsExactlyInAnyOrderElementsOf(LongStreamHolder.oneTo(50));
            assertThat(http.query("shared", "final").path("turn").asLong()).isEqualTo(51);
        }
    }

    private static final class LongStreamHolder {
        static List<Long> oneTo(int n) {
            return IntStream.rangeClosed(1, n).mapToObj(i -> (long) i).toList();
        }
    }
}
