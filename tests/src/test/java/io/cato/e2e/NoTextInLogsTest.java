package io.cato.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.cato.local.LocalCato;
import io.cato.testing.OpenAiStub;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full scenario (answers, streaming, a cache hit, a failing tier and its fallback, idempotent
 * repeats, rejected requests, admin calls) with every log line and console byte captured: no
 * prompt and no answer text may appear in them, nor in the status endpoint's metrics.
 */
class NoTextInLogsTest {
    private static final String PROMPT_MARK = "zebraquartz7781";
    private static final String ANSWER_MARK = "violetanchor5521";

    @Test
    void fullScenario_logsAndMetricsHoldNoPromptOrAnswerText(@TempDir Path data) {
        // The local server logs through SLF4J to its console binding (slf4j-simple, standard error): captured below.
        assertThat(LoggerFactory.getILoggerFactory().getClass().getName()).startsWith("org.slf4j.simple.");
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;
        System.setOut(new PrintStream(new Tee(out, captured), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(err, captured), true, StandardCharsets.UTF_8));
        String status;
        try (OpenAiStub model = new OpenAiStub().answering("The answer is " + ANSWER_MARK + ".");
             LocalCato cato = RunningCato.start(data, Map.of("CATO_TIER_SHADOW_BASE_URL", model.baseUrl().toString()))) {
            Http http = new Http(cato.port());
            String question = "What does " + PROMPT_MARK + " mean in astronomy?";
            http.query("logs", question);
            http.query("logs-other", question);
            http.postJson("/v1/chat/completions", "{\"stream\":true,\"user\":\"logs\",\"messages\":[{\"role\":\"user\","
                    + "\"content\":\"Tell me about " + PROMPT_MARK + " again\"}]}");
            http.postJson("/api/cato/query", "{\"query\":\"Repeat " + PROMPT_MARK + "\",\"session_id\":\"logs\"}",
                    "Idempotency-Key", "log-key");
            http.postJson("/api/cato/query", "{\"query\":\"Repeat " + PROMPT_MARK + "\",\"session_id\":\"logs\"}",
                    "Idempotency-Key", "log-key");
            model.failingWith(500);
            http.query("logs", "While the tier fails, " + PROMPT_MARK + "?");
            model.failingWith(0).answeringRaw("{\"broken\": \"" + ANSWER_MARK + "\"");
            http.query("logs", "With a malformed upstream answer, " + PROMPT_MARK + "?");
            model.answeringRaw(null);
            http.postJson("/api/cato/query", "{\"query\": \"" + PROMPT_MARK + " unterminated");
            http.postJson("/api/cato/query", "{\"query\": 17, \"session_id\": \"" + PROMPT_MARK + "\"}");
            http.postJson("/api/admin/cato/consolidate", "{}", "authorization", "Bearer " + RunningCato.ADMIN_TOKEN);
            status = http.get("/api/admin/cato/status", "authorization", "Bearer " + RunningCato.ADMIN_TOKEN).body();
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        String logs = captured.toString(StandardCharsets.UTF_8);

        assertThat(logs).as("the scenario logged something").isNotBlank();
        assertThat(logs).doesNotContain(PROMPT_MARK).doesNotContain(ANSWER_MARK);
        assertThat(status).contains("\"shadow\"").doesNotContain(PROMPT_MARK).doesNotContain(ANSWER_MARK);
    }

    @Test
    void everyAdminEndpoint_refusesMissingWrongAndNonBearerCredentials(@TempDir Path data) {
        try (LocalCato cato = RunningCato.start(data, Map.of("CATO_CACHE_ENABLED", "false"))) {
            Http http = new Http(cato.port());
            record Call(String method, String path) {
            }
            List<Call> admin = List.of(new Call("GET", "/api/admin/cato/health"), new Call("GET", "/api/admin/cato/status"),
                    new Call("POST", "/api/admin/cato/cache/purge"), new Call("POST", "/api/admin/cato/consolidate"));
            for (Call call : admin) {
                for (String[] credentials : List.of(new String[0], new String[] {"authorization", "Bearer wrong"},
                        new String[] {"authorization", "Bearer " + RunningCato.ADMIN_TOKEN + "x"},
                        new String[] {"authorization", "Basic " + RunningCato.ADMIN_TOKEN},
                        new String[] {"authorization", "Bearer "})) {
                    var response = call.method().equals("GET") ? http.get(call.path(), credentials)
                            : http.postJson(call.path(), "{\"domain\":\"general\"}", credentials);
                    assertThat(response.statusCode()).as(call + " " + String.join(" ", credentials)).isEqualTo(401);
                    assertThat(response.body()).containsAnyOf("\"code\":\"missing_credentials\"",
                            "\"code\":\"invalid_credentials\"");
                }
            }
            assertThat(http.get("/api/admin/cato/status", "authorization", "Bearer " + RunningCato.ADMIN_TOKEN)
                    .statusCode()).isEqualTo(200);
        }
    }

    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            first.write(b);
            synchronized (second) {
                second.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            first.write(b, off, len);
            synchronized (second) {
                second.write(b, off, len);
            }
        }
    }
}
