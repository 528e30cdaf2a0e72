package io.cato.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.cato.local.LocalCato;
import io.cato.testing.OpenAiStub;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad requests written byte for byte on a socket (so nothing the HTTP client would clean up gets
 * cleaned up), then seeded mutations of valid bodies: every one gets a 4xx with a stable code,
 * never a 5xx, and the server answers a good request afterwards.
 */
class RequestCorpusTest {
    private static final Set<String> STABLE_CODES = Set.of("invalid_json", "invalid_request", "unknown_model",
            "missing_credentials", "invalid_credentials", "not_found", "method_not_allowed", "body_too_large",
            "unsupported_media_type", "idempotency_key_reused", "bad_request", "headers_too_large", "uri_too_long",
            "http_error", "unsupported_parameter", "remote_image_not_fetched", "image_too_large",
            "endpoint_not_offered");
    private static final byte[] PUNCTUATION = "{}[],:\"\\0-e.".getBytes(StandardCharsets.UTF_8);
    private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.1 (\\d{3})");
    private static final Pattern CODE = Pattern.compile("\"code\":\"([a-z_]+)\"");
    private static final String VALID = "{\"query\":\"What is the capital of France?\",\"session_id\":\"corpus\","
            + "\"domain\":\"general\",\"max_tokens\":64}";

    @TempDir
    static Path data;
    private static OpenAiStub model;
    private static LocalCato cato;

    @BeforeAll
    static void start() {
        model = new OpenAiStub().answering("Paris.");
        cato = RunningCato.start(data, Map.of("CATO_TIER_SHADOW_BASE_URL", model.baseUrl().toString(),
                "CATO_CACHE_ENABLED", "false"));
    }

    @AfterAll
    static void stop() {
        cato.close();
        model.close();
    }

    private static Map<String, byte[]> corpus() {
        Map<String, byte[]> c = new LinkedHashMap<>();
        c.put("truncated json", post("/api/cato/query", "{\"query\":\"What is"));
        c.put("empty body", post("/api/cato/query", ""));
        c.put("json array", post("/api/cato/query", "[1,2,3]"));
        c.put("json scalar", post("/api/cato/query", "42"));
        c.put("null query", post("/api/cato/query", "{\"query\":null}"));
        c.put("query object", post("/api/cato/query", "{\"query\":{\"a\":1}}"));
        c.put("max_tokens as text", post("/api/cato/query", "{\"query\":\"hi\",\"max_tokens\":\"many\"}"));
        c.put("negative max_tokens", post("/api/cato/query", "{\"query\":\"hi\",\"max_tokens\":-5}"));
        c.put("domain number", post("/api/cato/query", "{\"query\":\"hi\",\"domain\":7}"));
        c.put("trailing garbage", post("/api/cato/query", "{\"query\":\"hi\"} trailing"));
        c.put("duplicate keys", post("/api/cato/query", "{\"query\":\"hi\",\"query\":3}"));
        c.put("deeply nested", post("/api/cato/query", "{\"query\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}"));
        c.put("deeply nested objects", post("/api/cato/query", "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000)));
        c.put("huge number", post("/api/cato/query", "{\"query\":\"hi\",\"max_tokens\":1" + "0".repeat(5000) + "}"));
        c.put("huge body", post("/api/cato/query", "{\"query\":\"" + "a".repeat(3 * 1024 * 1024) + "\"}"));
        c.put("chat without messages", post("/v1/chat/completions", "{\"model\":\"auto\"}"));
        c.put("chat messages not array", post("/v1/chat/completions", "{\"messages\":\"hi\"}"));
        c.put("chat content number", post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":5}]}"));
        c.put("chat unknown model", post("/v1/chat/completions",
                "{\"model\":\"gpt-17\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
        c.put("chat stream as text", post("/v1/chat/completions",
                "{\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
        c.put("invalid utf-8", concat(head("POST", "/api/cato/query", "content-type: application/json", 20),
                new byte[] {'{', '"', 'q', 'u', 'e', 'r', 'y', '"', ':', '"', (byte) 0xC3, (byte) 0x28, (byte) 0xFF,
                        (byte) 0xFE, '"', '}', ' ', ' ', ' ', ' '}));
        c.put("overlong utf-8", concat(head("POST", "/api/cato/query", "content-type: application/json", 16),
                new byte[] {'{', '"', 'q', 'u', 'e', 'r', 'y', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}', ' ',
                        ' '}));
        c.put("header injection", raw("POST /api/cato/query HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\n"
                + "X-Cato-Session: a\rInjected: yes\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}"));
        c.put("bare lf in header", raw("POST /api/cato/query HTTP/1.1\r\nHost: x\r\nX-Cato-Tenant: a\nevil: 1\r\n"
                + "content-length: 0\r\nconnection: close\r\n\r\n"));
        c.put("bad tenant", concat(head("POST", "/api/cato/query", "content-type: application/json\r\n"
                + "X-Cato-Tenant: ../../etc", 14), "{\"query\":\"hi\"}".getBytes(StandardCharsets.UTF_8)));
        c.put("oversized header", raw("GET /api/cato/query HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(64 * 1024)
                + "\r\nconnection: close\r\n\r\n"));
        c.put("many headers", raw("GET /api/cato/query HTTP/1.1\r\nHost: x\r\n" + "X-H: v\r\n".repeat(5000)
                + "connection: close\r\n\r\n"));
        c.put("long uri", raw("GET /api/" + "a".repeat(70_000) + " HTTP/1.1\r\nHost: x\r\nconnection: close\r\n\r\n"));
        c.put("bad content-length", raw("POST /api/cato/query HTTP/1.1\r\nHost: x\r\ncontent-length: abc\r\n"
                + "connection: close\r\n\r\n"));
        c.put("two content-lengths", raw("POST /api/cato/query HTTP/1.1\r\nHost: x\r\ncontent-length: 2\r\n"
                + "content-length: 3\r\nconnection: close\r\n\r\n{}"));
        c.put("garbage request line", raw("HELLO THERE\r\n\r\n"));
        c.put("unknown method", raw("BREW /api/cato/query HTTP/1.1\r\nHost: x\r\nconnection: close\r\n\r\n"));
        c.put("path traversal", raw("GET /api/cato/../admin/cato/status HTTP/1.1\r\nHost: x\r\nconnection: close\r\n\r\n"));
        c.put("encoded traversal", raw("GET /api/cato/%2e%2e/admin/cato/status HTTP/1.1\r\nHost: x\r\n"
                + "connection: close\r\n\r\n"));
        c.put("encoded slash", raw("GET /api/admin%2fcato%2fstatus HTTP/1.1\r\nHost: x\r\nconnection: close\r\n\r\n"));
        c.put("double slashes", raw("GET //api//admin//cato//status HTTP/1.1\r\nHost: x\r\nconnection: close\r\n\r\n"));
        c.put("nul in path", raw("GET /api/cato/query%00 HTTP/1.1\r\nHost: x\r\nconnection: close\r\n\r\n"));
        c.put("absolute uri elsewhere", raw("GET http://evil.example/api/admin/cato/status HTTP/1.1\r\nHost: x\r\n"
                + "connection: close\r\n\r\n"));
        c.put("form body", concat(head("POST", "/api/cato/query", "content-type: text/plain", 8),
                "query=hi".getBytes(StandardCharsets.UTF_8)));
        c.put("idempotency key with spaces", concat(head("POST", "/api/cato/query",
                "content-type: application/json\r\nIdempotency-Key: a b c", 14), "{\"query\":\"hi\"}".getBytes(
                StandardCharsets.UTF_8)));
        return c;
    }

    @Test
    void corpusOfBadRequests_eachGets4xxWithAStableCode() {
        List<String> problems = new ArrayList<>();
        corpus().forEach((name, bytes) -> {
            Reply reply = send(bytes);
            if (reply.status() < 400 || reply.status() >= 500 || !STABLE_CODES.contains(reply.code())) {
                problems.add(name + " -> " + reply.status() + " " + reply.code());
            }
        });

        assertThat(problems).isEmpty();
        assertThat(new Http(cato.port()).query("corpus", "Still there?").path("response").asText()).isNotBlank();
    }

    @Test
    void seededMutationsOfValidBodies_neverGetA5xx_andTheServerKeepsServing() {
        Random random = new Random(20_260_101);
        List<String> valid = List.of(VALID, "{\"messages\":[{\"role\":\"system\",\"content\":\"Be brief\"},"
                + "{\"role\":\"user\",\"content\":\"Name a colour\"}],\"model\":\"auto\",\"user\":\"fuzz\"}");
        List<String> problems = new ArrayList<>();
        int accepted = 0;
        for (int i = 0; i < 400; i++) {
            boolean chat = random.nextBoolean();
            byte[] body = mutate(valid.get(chat ? 1 : 0).getBytes(StandardCharsets.UTF_8), random);
            Reply reply = send(concat(head("POST", chat ? "/v1/chat/completions" : "/api/cato/query",
                    "content-type: application/json", body.length), body));
            if (reply.status() == 200) {
                accepted++;
            } else if (reply.status() < 400 || reply.status() >= 500 || !STABLE_CODES.contains(reply.code())) {
                problems.add(new String(body, StandardCharsets.ISO_8859_1) + " -> " + reply.status() + " " + reply.code());
            }
        }

        assertThat(problems).isEmpty();
        assertThat(accepted).as("some mutations stay valid").isPositive().isLessThan(400);
        assertThat(new Http(cato.port()).query("corpus", "Still serving?").path("response").asText()).isNotBlank();
    }

    /** One to three edits: truncation, byte flips, insertions of JSON punctuation, deletions, type swaps. */
    private static byte[] mutate(byte[] body, Random random) {
        byte[] out = body;
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int at = random.nextInt(Math.max(1, out.length));
            out = switch (random.nextInt(6)) {
                case 0 -> java.util.Arrays.copyOf(out, at);
                case 1 -> {
                    byte[] copy = out.clone();
                    if (copy.length > 0) {
                        copy[at] = (byte) random.nextInt(256);
                    }
                    yield copy;
                }
                case 2 -> splice(out, at, 0, new byte[] {PUNCTUATION[random.nextInt(PUNCTUATION.length)]});
                case 3 -> splice(out, at, Math.min(out.length - at, 1 + random.nextInt(8)), new byte[0]);
                case 4 -> new String(out, StandardCharsets.ISO_8859_1).replaceFirst("\"[A-Za-z ?]+\"(?=[,}])",
                        List.of("1", "true", "null", "[]", "{}", "-0.5e9").get(random.nextInt(6)))
                        .getBytes(StandardCharsets.ISO_8859_1);
                default -> splice(out, at, 0, new byte[] {(byte) (0x80 + random.nextInt(0x80))});
            };
        }
        return out;
    }

    private static byte[] splice(byte[] in, int at, int remove, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(in, 0, at);
        out.writeBytes(insert);
        out.write(in, at + remove, in.length - at - remove);
        return out.toByteArray();
    }

    private record Reply(int status, String code) {
    }

    private static Reply send(byte[] request) {
        try (Socket socket = new Socket("127.0.0.1", cato.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException refusedMidway) {
                // The server may answer and close before a huge request is fully written; read what it said.
            }
            String response = readAll(socket.getInputStream());
            Matcher status = STATUS.matcher(response);
            Matcher code = CODE.matcher(response);
            return new Reply(status.find() ? Integer.parseInt(status.group(1)) : -1, code.find() ? code.group(1) : "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readAll(InputStream in) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) > 0) {
                bytes.write(buffer, 0, n);
                if (bytes.toString(StandardCharsets.ISO_8859_1).matches("(?s).*\\}\\}\\s*$")) {
                    break;
                }
            }
        } catch (IOException reset) {
            // A reset after the answer was sent still leaves the answer readable above.
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] post(String path, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return concat(head("POST", path, "content-type: application/json", body.length), body);
    }

    private static byte[] head(String method, String path, String headers, int length) {
        return (method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\ncontent-length: " + length
                + "\r\nconnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] raw(String request) {
        return request.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
