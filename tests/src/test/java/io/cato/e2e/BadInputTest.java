package io.cato.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.cato.local.LocalCato;
import io.cato.testing.OpenAiStub;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad request gets the right 4xx and a stable code; nothing is written; serving goes on. */
class BadInputTest {
    /** Cato's code and message, and the {@code type} and {@code param} OpenAI's SDKs read. */
    private static final String ERROR_SHAPE = "\\{\"error\":\\{\"code\":\"[a-z_]+\",\"message\":\".*\","
            + "\"type\":\"[a-z_]+\",\"param\":(null|\"[^\"]+\")}}";

    private static void assertRejected(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).matches(ERROR_SHAPE).contains("\"code\":\"" + code + "\"");
    }

    @Test
    void rejectedRequests_leaveNoTraceAndTheServerKeepsServing(@TempDir Path data) {
        try (OpenAiStub model = new OpenAiStub();
             LocalCato cato = RunningCato.start(data, Map.of("CATO_TIER_SHADOW_BASE_URL", model.baseUrl().toString()))) {
            Http http = new Http(cato.port());
            String q = "/api/cato/query";

            assertRejected(http.postJson(q, "{\"query\": \"unterminated", "Idempotency-Key", "k1"), 400, "invalid_json");
            assertRejected(http.postJson(q, "{\"session_id\":\"victim\"}"), 400, "invalid_request");
            assertRejected(http.postJson(q, "{\"query\":\"\",\"session_id\":\"victim\"}"), 400, "invalid_request");
            assertRejected(http.postJson(q, "{\"query\":[\"a\"],\"session_id\":\"victim\"}"), 400, "invalid_request");
            assertRejected(http.postJson(q, "{\"query\":\"hi\",\"session_id\":17}"), 400, "invalid_request");
            assertRejected(http.postJson(q, "{\"query\":\"" + "x".repeat(2 * 1024 * 1024) + "\",\"session_id\":\"victim\"}"),
                    413, "body_too_large");
            assertRejected(http.post(q, "query=hi", "content-type", "application/x-www-form-urlencoded"),
                    415, "unsupported_media_type");
            assertRejected(http.postJson("/v1/chat/completions", "{\"messages\":[]}"), 400, "invalid_request");
            assertRejected(http.postJson("/v1/chat/completions",
                    "{\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}"), 400, "invalid_request");
            assertRejected(http.postJson("/api/nope", "{}"), 404, "not_found");
            assertRejected(http.get(q), 405, "method_not_allowed");
            assertRejected(http.get("/api/admin/cato/status"), 401, "missing_credentials");
            assertRejected(http.get("/api/admin/cato/status", "authorization", "Bearer wrong"), 401, "invalid_credentials");
            assertRejected(http.get("/api/admin/cato/health", "authorization", "Basic Zm9vOmJhcg=="), 401,
                    "missing_credentials");

            assertThat(model.calls()).isZero();
            var next = http.query("victim", "Hello there");
            assertThat(next.path("turn").asLong()).isEqualTo(1);
            assertThat(http.get("/api/admin/cato/health", "authorization", "Bearer " + RunningCato.ADMIN_TOKEN)
                    .statusCode()).isEqualTo(200);
        }
    }
}
