package io.cato.lambda;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * An OpenAI-compatible model that streams slowly, as a model generating tokens does: the first
 * token at once, then one every {@code interval}. It reports each token it has written (and the
 * end of the stream) to a listener, so a test can order what reached the client against what the
 * model had produced by then. Non-streaming requests get the whole answer at once.
 */
final class PacedModelStub implements AutoCloseable {
    private final List<String> tokens;
    private final Duration interval;
    private final Consumer<String> written;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    PacedModelStub(List<String> tokens, Duration interval, Consumer<String> written) throws IOException {
        this.tokens = List.copyOf(tokens);
        this.interval = interval;
        this.written = written;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    private void handle(HttpExchange exchange) throws IOException {
        String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        try (exchange) {
            if (!request.replace(" ", "").contains("\"stream\":true")) {
                byte[] body = ("{\"id\":\"cmpl-1\",\"object\":\"chat.completion\",\"model\":\"paced\",\"choices\":[{"
                        + "\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + String.join("", tokens)
                        + "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":"
                        + tokens.size() + "}}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("content-type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            exchange.getResponseHeaders().set("content-type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            for (int i = 0; i < tokens.size(); i++) {
                if (i > 0) {
                    pause();
                }
                send(out, "{\"model\":\"paced\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + tokens.get(i)
                        + "\"}}]}");
                written.accept("token " + i);
            }
            send(out, "{\"model\":\"paced\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
                    + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":" + tokens.size() + "}}");
            send(out, "[DONE]");
            written.accept("end");
        }
    }

    /** The model's pace between tokens (this stub's behaviour, not a wait of the test). */
    private void pause() throws IOException {
        try {
            Thread.sleep(interval);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void send(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
