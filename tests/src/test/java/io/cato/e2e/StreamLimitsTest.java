package io.cato.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.cato.local.LocalCato;
import io.cato.load.UpstreamStub;
import io.cato.testing.StallingUpstream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streamed answers end when they must: a stalled upstream ends the stream with an error event within the tier's
 * time-out, a caller that goes away ends the upstream call, and a stream longer than a whole answer's deadline is
 * still one execution for its Idempotency-Key.
 * Each test has a time-out: a stream that is not bounded would otherwise hang it.
 */
@Timeout(60)
class StreamLimitsTest {
    private static final String STREAM = "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a story\"}]}";

    /** One OpenAI-compatible tier at {@code baseUrl} with the given time-out, then the memory tier. */
    static String config(URI baseUrl, int tierTimeoutMs, String limits) {
        return "{\"limits\":{" + limits + "},\"tiers\":[{\"name\":\"shadow\",\"provider\":\"openai\",\"model_id\":\"m\","
                + "\"base_url\":\"" + baseUrl + "\",\"timeout_ms\":" + tierTimeoutMs + ",\"context_window\":8192,"
                + "\"history_budget\":6000,\"max_output_tokens\":1024},{\"name\":\"memory\",\"provider\":\"memory\","
                + "\"model_id\":\"memory\",\"timeout_ms\":1000,\"context_window\":32000,\"history_budget\":16000,"
                + "\"max_output_tokens\":1000}],\"fallback_chain\":[\"shadow\",\"memory\"]}";
    }

    @Test
    void anUpstreamThatStallsAfterItsFirstToken_endsTheStreamWithAnErrorEvent_thatIsNotReplayed(@TempDir Path data) {
        try (StallingUpstream upstream = StallingUpstream.stallingAfterFirstChunk();
             LocalCato cato = RunningCato.start(data, Map.of("CATO_CONFIG_JSON",
                     config(upstream.baseUrl(), 1000, "\"stream_timeout_ms\":60000")))) {
            Http http = new Http(cato.port());

            HttpResponse<String> stalled = http.postJson("/v1/chat/completions", STREAM, "Idempotency-Key", "stall-1");
            HttpResponse<String> retried = http.postJson("/v1/chat/completions", STREAM, "Idempotency-Key", "stall-1");

            assertThat(stalled.body()).contains("\"content\":\"Hello\"", "\"code\":\"stream_interrupted\"")
                    .endsWith("data: [DONE]\n\n");
            assertThat(retried.headers().firstValue("idempotent-replayed")).isEmpty();
            assertThat(upstream.calls()).isEqualTo(2);
        }
    }

    @Test
    void aCallerThatGoesAwayMidStream_endsTheUpstreamCall_andIsNotCountedAgainstTheTier(@TempDir Path data)
            throws Exception {
        try (StallingUpstream upstream = StallingUpstream.dripping(Duration.ofMillis(100));
             LocalCato cato = RunningCato.start(data, Map.of("CATO_CONFIG_JSON",
                     config(upstream.baseUrl(), 5000, "\"stream_timeout_ms\":60000")))) {
            try (Socket caller = new Socket("127.0.0.1", cato.port())) {
                send(caller, STREAM, "");
                readUntil(caller.getInputStream(), "data: ");
            }

            assertThat(upstream.closedByCaller(Duration.ofSeconds(10))).isTrue();
            String status = new Http(cato.port()).get("/api/admin/cato/status",
                    "authorization", "Bearer " + RunningCato.ADMIN_TOKEN).body();
            assertThat(Http.json(status).path("tiers").path("shadow").path("errors").asLong()).isZero();
        }
    }

    @Test
    void aStreamOutlastingAWholeAnswersDeadline_isStillOneExecutionForItsKey(@TempDir Path data) throws Exception {
        // Ten words, one a second: the stream takes about ten seconds, far longer than a whole answer's 500 ms
        // deadline and its in-progress margin; the key must stay claimed for the stream's own deadline.
        UpstreamStub.Behaviour slow = new UpstreamStub.Behaviour(Duration.ofSeconds(1), Duration.ZERO, 0, 0, 0,
                Duration.ofSeconds(60), 1.0, 40, 60, "one two three four five six seven eight nine ten");
        try (UpstreamStub upstream = new UpstreamStub(0, slow, 7);
             LocalCato cato = RunningCato.start(data, Map.of("CATO_CONFIG_JSON",
                     config(URI.create("http://127.0.0.1:" + upstream.port() + "/v1"), 5000,
                             "\"request_timeout_ms\":500,\"memory_reserve_ms\":100,\"stream_timeout_ms\":60000")))) {
            Http http = new Http(cato.port());
            try (Socket caller = new Socket("127.0.0.1", cato.port())) {
                send(caller, STREAM, "idempotency-key: long-1\r\n");
                InputStream events = caller.getInputStream();
                // Seven words in: past 5.5 s, when a claim sized for a whole answer would have lapsed.
                for (int word = 0; word < 7; word++) {
                    readUntil(events, "\"content\":");
                }
                HttpResponse<String> duplicate = http.postJson("/v1/chat/completions", STREAM,
                        "Idempotency-Key", "long-1");
                String rest = readToEnd(events);

                assertThat(duplicate.statusCode()).isEqualTo(409);
                assertThat(rest).contains("\"content\":\"ten\"").contains("data: [DONE]")
                        .doesNotContain("stream_interrupted");
            }
            HttpResponse<String> later = http.postJson("/v1/chat/completions", STREAM, "Idempotency-Key", "long-1");
            assertThat(later.headers().firstValue("idempotent-replayed")).contains("true");
            assertThat(upstream.calls()).isEqualTo(1);
        }
    }

    private static void send(Socket caller, String json, String extraHeaders) throws java.io.IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        OutputStream out = caller.getOutputStream();
        out.write(("POST /v1/chat/completions HTTP/1.1\r\nhost: cato\r\ncontent-type: application/json\r\n"
                + extraHeaders + "content-length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    /** Reads the rest of a chunked event stream, up to its last chunk. */
    private static String readToEnd(InputStream in) throws java.io.IOException {
        StringBuilder seen = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            seen.append((char) b);
            if (seen.indexOf("data: [DONE]") >= 0 && seen.toString().endsWith("\r\n0\r\n\r\n")) {
                break;
            }
        }
        return seen.toString();
    }

    private static void readUntil(InputStream in, String marker) throws java.io.IOException {
        StringBuilder seen = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            seen.append((char) b);
            if (seen.indexOf(marker) >= 0) {
                return;
            }
        }
        throw new AssertionError("the stream ended before " + marker + ": " + seen);
    }
}
