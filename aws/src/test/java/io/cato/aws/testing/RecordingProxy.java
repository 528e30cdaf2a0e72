package io.cato.aws.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * A loopback HTTP proxy in front of a node that records every request it forwards (method, path
 * with query, body), so a test can check which OpenSearch operations a client used.
 */
public final class RecordingProxy implements AutoCloseable {
    /** One forwarded request. */
    public record Request(String method, String pathAndQuery, String body) {
        public String path() {
            int query = pathAndQuery.indexOf('?');
            return query < 0 ? pathAndQuery : pathAndQuery.substring(0, query);
        }

        public String query() {
            int query = pathAndQuery.indexOf('?');
            return query < 0 ? "" : pathAndQuery.substring(query + 1);
        }

        @Override
        public String toString() {
            return method + " " + pathAndQuery;
        }
    }

    private final URI target;
    private final HttpServer server;
    private final ExecutorService workers = Executors.newFixedThreadPool(16);
    private final HttpClient forward = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicReference<Gate> gate = new AtomicReference<>();

    /** Holds one request at the proxy until the test releases it, to order requests of concurrent clients. */
    public static final class Gate {
        private final Predicate<Request> which;
        private final CountDownLatch arrived = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        private Gate(Predicate<Request> which) {
            this.which = which;
        }

        /** Waits until the held request reached the proxy. */
        public void awaitArrival() throws InterruptedException {
            if (!arrived.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no request reached the gate");
            }
        }

        /** Lets the held request go on to the node. */
        public void release() {
            released.countDown();
        }
    }

    public RecordingProxy(URI target) {
        this.target = target;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::forward);
        server.setExecutor(workers);
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Everything forwarded since the last {@link #clear}. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public void clear() {
        requests.clear();
    }

    /** The next request that matches waits at the proxy until the returned gate is released. */
    public Gate holdNext(Predicate<Request> which) {
        Gate next = new Gate(which);
        if (!gate.compareAndSet(null, next)) {
            throw new IllegalStateException("a gate is already set");
        }
        return next;
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String method = exchange.getRequestMethod();
            String pathAndQuery = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
            Request request = new Request(method, pathAndQuery, new String(body, StandardCharsets.UTF_8));
            requests.add(request);
            Gate held = gate.get();
            if (held != null && held.which.test(request) && gate.compareAndSet(held, null)) {
                held.arrived.countDown();
                try {
                    if (!held.released.await(60, TimeUnit.SECONDS)) {
                        throw new IOException("a held request was never released");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
            HttpRequest.Builder out = HttpRequest.newBuilder(target.resolve(pathAndQuery))
                    .timeout(Duration.ofSeconds(30))
                    .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            if (contentType != null) {
                out.header("Content-Type", contentType);
            }
            HttpResponse<byte[]> response;
            try {
                response = forward.send(out.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            response.headers().firstValue("Content-Type")
                    .ifPresent(v -> exchange.getResponseHeaders().add("Content-Type", v));
            byte[] answer = response.body();
            boolean noBody = "HEAD".equals(method) || answer.length == 0;
            exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : answer.length);
            if (!noBody) {
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(answer);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
        forward.close();
    }
}
