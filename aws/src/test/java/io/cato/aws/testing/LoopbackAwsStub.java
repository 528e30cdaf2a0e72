package io.cato.aws.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback server standing in for an AWS service the real SDK calls. It checks what every
 * SigV4-signed request must carry (method, path, signature for the right service, JSON content
 * type) and keeps each request; a request that fails a check gets a 400 the SDK turns into an
 * exception, and is listed in {@link #violations()} so a test cannot pass by accident.
 */
public abstract class LoopbackAwsStub implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A request as the stub received it; {@code body} is its parsed JSON. */
    public record Request(String method, String path, String contentType, String accept, String authorization,
                          JsonNode body) {
    }

    private final HttpServer server;
    private final String signingName;
    private final Pattern path;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Duration hang = Duration.ZERO;

    /** @param path the request paths this service accepts; its first group is passed to {@link #respond} */
    protected LoopbackAwsStub(String signingName, Pattern path) {
        this.signingName = signingName;
        this.path = path;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    /** Answers with the request matched and recorded. */
    protected abstract void respond(HttpExchange exchange, Matcher path, Request request) throws IOException;

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public Request lastRequest() {
        return requests.getLast();
    }

    /** What requests got wrong; empty when the SDK sent what the service expects. */
    public List<String> violations() {
        return List.copyOf(violations);
    }

    /** Holds every answer back this long (until the stub closes), like a stuck model. */
    public void hangFor(Duration duration) {
        this.hang = duration;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    header(exchange, "Content-Type"), header(exchange, "Accept"), header(exchange, "Authorization"),
                    parse(raw));
            requests.add(request);
            Matcher matcher = path.matcher(request.path());
            String problem = problem(request, matcher);
            if (problem != null) {
                violations.add(problem);
                sendError(exchange, 400, "StubRejectedRequest", problem);
                return;
            }
            if (!hang.isZero() && closed.await(hang.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
            respond(exchange, matcher, request);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client gave up (a timeout under test); nothing to answer
        }
    }

    private String problem(Request request, Matcher matcher) {
        if (!matcher.matches()) {
            return "unexpected path " + request.path();
        }
        String auth = request.authorization();
        if (auth == null || !auth.startsWith("AWS4-HMAC-SHA256 ")
                || !auth.contains("/" + signingName + "/aws4_request") || !auth.contains("Signature=")) {
            return "not SigV4-signed for " + signingName + ": " + auth;
        }
        return shapeProblem(request, matcher);
    }

    /**
     * What is wrong with the request's method and body, or null. By default every operation is a
     * POST with a JSON body; a REST service with GET operations overrides this.
     */
    protected String shapeProblem(Request request, Matcher path) {
        if (!request.method().equals("POST")) {
            return "method " + request.method() + " instead of POST";
        }
        return jsonBodyProblem(request);
    }

    protected static String jsonBodyProblem(Request request) {
        if (request.contentType() == null || !request.contentType().toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return "content type " + request.contentType();
        }
        if (request.body() == null || request.body().isMissingNode()) {
            return "body is not JSON";
        }
        return null;
    }

    private static JsonNode parse(byte[] raw) {
        try {
            return JSON.readTree(raw);
        } catch (IOException e) {
            return null;
        }
    }

    private static String header(HttpExchange exchange, String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    /** An error as AWS JSON protocols send it: the type in {@code x-amzn-ErrorType}, a JSON body. */
    protected static void sendError(HttpExchange exchange, int status, String errorType, String message) throws IOException {
        exchange.getResponseHeaders().set("x-amzn-ErrorType", errorType);
        sendJson(exchange, status, "{\"message\":" + quote(message) + "}");
    }

    protected static void sendJson(HttpExchange exchange, int status, String body) throws IOException {
        send(exchange, status, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    protected static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("x-amzn-RequestId", "stub-request");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    protected static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
    }
}
