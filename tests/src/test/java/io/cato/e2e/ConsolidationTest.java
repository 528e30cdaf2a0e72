package io.cato.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cato.local.LocalCato;
import io.cato.testing.OpenAiStub;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runbook's consolidation case, through HTTP on the embedded default. */
class ConsolidationTest {
    private static final String ANSWER = "Machine learning is a field of artificial intelligence in which computers "
            + "learn patterns from data instead of following explicit rules.";

    @Test
    void consolidatedFact_isUsedByALaterQuestionInANewSession_andASecondRunStoresNoDuplicate(@TempDir Path data) {
        // The cache is off so the later question reaches the model, whose request is inspected.
        Map<String, String> noCache = Map.of("CATO_CACHE_ENABLED", "false");
        try (OpenAiStub model = new OpenAiStub().answering(ANSWER);
             LocalCato cato = RunningCato.start(data, withModel(noCache, model))) {
            Http http = new Http(cato.port());
            ask(http, "first", "What is machine learning?");

            JsonNode run = consolidate(http);
            JsonNode again = consolidate(http);

            assertThat(run.path("status").asText()).isEqualTo("completed");
            assertThat(run.path("factsWritten").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(again.path("factsWritten").asInt()).isZero();

            ask(http, "second", "Can you explain machine learning to me?");
            assertThat(model.requestBodies().getLast()).contains("learn patterns from data");
        }
        try (LocalCato offline = RunningCato.start(data, noCache)) {
            JsonNode answer = ask(new Http(offline.port()), "third", "What is machine learning?");

            assertThat(answer.path("model").asText()).isEqualTo("memory");
            assertThat(answer.path("response").asText()).contains("learn patterns from data");
        }
    }

    @Test
    void consolidate_withoutTheAdminToken_isRefused(@TempDir Path data) {
        try (LocalCato cato = RunningCato.start(data, Map.of("CATO_CACHE_ENABLED", "false"))) {
            HttpResponse<String> response = new Http(cato.port()).postJson("/api/admin/cato/consolidate", "{}");

            assertThat(response.statusCode()).isEqualTo(401);
        }
    }

    private static Map<String, String> withModel(Map<String, String> env, OpenAiStub model) {
        var all = new java.util.HashMap<>(env);
        all.put("CATO_TIER_SHADOW_BASE_URL", model.baseUrl().toString());
        return all;
    }

    private static JsonNode ask(Http http, String session, String query) {
        HttpResponse<String> response = http.postJson("/api/cato/query", "{\"query\":" + Http.quote(query)
                + ",\"session_id\":" + Http.quote(session) + ",\"domain\":\"ai\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Http.json(response.body());
    }

    private static JsonNode consolidate(Http http) {
        HttpResponse<String> response = http.postJson("/api/admin/cato/consolidate", "{}",
                "authorization", "Bearer " + RunningCato.ADMIN_TOKEN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Http.json(response.body());
    }
}
