package io.cato.lambda;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A loopback Lambda Runtime API (2018-06-01), the side of Lambda a runtime client talks to: it hands
 * out queued events on {@code GET /runtime/invocation/next} with Lambda's headers, and records
 * responses (buffered or streamed, read as they arrive), invocation errors, init errors and the
 * SnapStart {@code restore/next} call. Each event gets a request id and a deadline.
 */
final class RuntimeApiStub implements AutoCloseable {
    private static final String BASE = "/2018-06-01/runtime";

    /** A finished response: its body, and the headers that say how it was sent. */
    record Response(String requestId, byte[] body, String responseMode, String contentType, String transferEncoding) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** A reported error: where it was posted, its type header and its JSON body. */
    record Error(String path, String errorType, String body) {
    }

    private record Event(String requestId, byte[] body, long deadlineMs) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final BlockingQueue<Event> queued = new LinkedBlockingQueue<>();
    private final Map<String, CompletableFuture<Response>> responses = new ConcurrentHashMap<>();
    private final List<Error> errors = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> restoreRequested = new CompletableFuture<>();
    private final CompletableFuture<Error> initError = new CompletableFuture<>();
    private volatile Consumer<byte[]> streamListener = bytes -> { };

    RuntimeApiStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext(BASE + "/invocation/", this::invocation);
        server.createContext(BASE + "/init/error", exchange -> {
            Error error = error(exchange);
            initError.complete(error);
            reply(exchange, 202);
        });
        server.createContext(BASE + "/restore/next", exchange -> {
            restoreRequested.complete(null);
            reply(exchange, 200);
        });
        server.createContext(BASE + "/restore/error", exchange -> {
            error(exchange);
            reply(exchange, 202);
        });
        server.setExecutor(threads);
        server.start();
    }

    /** The value of AWS_LAMBDA_RUNTIME_API. */
    String hostAndPort() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Queues an event for the function; returns its request id. */
    String invoke(byte[] event, Duration timeout) {
        String id = UUID.randomUUID().toString();
        responses.put(id, new CompletableFuture<>());
        queued.add(new Event(id, event, System.currentTimeMillis() + timeout.toMillis()));
        return id;
    }

    /** Called with each piece of a response body as it is read off the connection. */
    void onStreamedBytes(Consumer<byte[]> listener) {
        streamListener = listener;
    }

    Response awaitResponse(String requestId, Duration timeout) throws Exception {
        return responses.get(requestId).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    void awaitRestoreRequested(Duration timeout) throws Exception {
        restoreRequested.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean restoreRequested() {
        return restoreRequested.isDone();
    }

    Error awaitInitError(Duration timeout) throws Exception {
        return initError.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    List<Error> errors() {
        return List.copyOf(errors);
    }

    Optional<Error> errorFor(String requestId) {
        return errors.stream().filter(e -> e.path().contains("/invocation/" + requestId + "/")).findFirst();
    }

    private void invocation(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (path.endsWith("/invocation/next")) {
            next(exchange);
        } else if (path.endsWith("/response")) {
            response(exchange, path.split("/")[4]);
        } else if (path.endsWith("/error")) {
            Error error = error(exchange);
            reply(exchange, 202);
            String id = path.split("/")[4];
            Optional.ofNullable(responses.get(id)).ifPresent(f -> f.completeExceptionally(
                    new IllegalStateException("invocation failed: " + error)));
        } else {
            reply(exchange, 404);
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        Event event;
        try {
            event = queued.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply(exchange, 500);
            return;
        }
        var headers = exchange.getResponseHeaders();
        headers.add("Lambda-Runtime-Aws-Request-Id", event.requestId());
        headers.add("Lambda-Runtime-Deadline-Ms", Long.toString(event.deadlineMs()));
        headers.add("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:cato-route:live");
        headers.add("Lambda-Runtime-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1");
        headers.add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, event.body().length);
        exchange.getResponseBody().write(event.body());
        exchange.close();
    }

    private void response(HttpExchange exchange, String requestId) throws IOException {
        var body = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (InputStream in = exchange.getRequestBody()) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                body.write(buffer, 0, n);
                streamListener.accept(java.util.Arrays.copyOf(buffer, n));
            }
        }
        var headers = exchange.getRequestHeaders();
        Response response = new Response(requestId, body.toByteArray(),
                headers.getFirst("Lambda-Runtime-Function-Response-Mode"), headers.getFirst("Content-Type"),
                headers.getFirst("Transfer-Encoding"));
        reply(exchange, 202);
        Optional.ofNullable(responses.get(requestId)).ifPresent(f -> f.complete(response));
    }

    private Error error(HttpExchange exchange) throws IOException {
        Error error = new Error(exchange.getRequestURI().getPath(),
                exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type"),
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        errors.add(error);
        return error;
    }

    private static void reply(HttpExchange exchange, int status) throws IOException {
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
