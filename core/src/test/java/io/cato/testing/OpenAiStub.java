package io.cato.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback server speaking OpenAI's chat completions API (plain and streamed), the way vLLM
 * and LiteLLM answer. It counts and keeps the requests it receives; its answer, delay and
 * failure status can be changed while it runs.
 */
public final class OpenAiStub implements AutoCloseable {
    private final HttpServer server;
    private final AtomicInteger calls = new AtomicInteger();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private volatile String answer = "stub answer";
    private volatile java.util.function.IntFunction<String> perCall;
    private volatile String finishReason = "stop";
    private volatile String model = "stub-model";
    private volatile Duration delay = Duration.ZERO;
    private volatile int failWithStatus;
    private volatile String rawBody;
    private volatile int promptTokens = 12;
    private volatile int completionTokens = 5;
    private volatile int cachedTokens;

    public OpenAiStub() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    public OpenAiStub answering(String text) {
        this.answer = text;
        return this;
    }

    /** Answers each call with its own text, made from the call's number (1 for the first): any answer served twice is a cached one. */
    public OpenAiStub answeringPerCall(java.util.function.IntFunction<String> text) {
        this.perCall = text;
        return this;
    }

    /** Ends every answer with this finish reason ("stop" unless told; "length" for one cut at its token limit). */
    public OpenAiStub finishing(String reason) {
        this.finishReason = reason;
        return this;
    }

    public OpenAiStub model(String id) {
        this.model = id;
        return this;
    }

    /** The prompt tokens the stub reports for each answer (default 12). */
    public OpenAiStub reportingPromptTokens(int tokens) {
        this.promptTokens = tokens;
        return this;
    }

    /**
     * The usage the stub reports for each answer, plain or streamed (in the final chunk, as with
     * {@code stream_options.include_usage}); {@code cached} goes in {@code prompt_tokens_details.cached_tokens}.
     */
    public OpenAiStub reportingUsage(int prompt, int completion, int cached) {
        this.promptTokens = prompt;
        this.completionTokens = completion;
        this.cachedTokens = cached;
        return this;
    }

    public OpenAiStub delay(Duration value) {
        this.delay = value;
        return this;
    }

    /** Answers every request with this HTTP status (0 to answer normally). */
    public OpenAiStub failingWith(int status) {
        this.failWithStatus = status;
        return this;
    }

    /** Answers every request with status 200 and exactly this body, e.g. a malformed one (null to answer normally). */
    public OpenAiStub answeringRaw(String body) {
        this.rawBody = body;
        return this;
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    public int calls() {
        return calls.get();
    }

    public List<String> requestBodies() {
        return List.copyOf(bodies);
    }

    private void handle(HttpExchange exchange) throws IOException {
        int call = calls.incrementAndGet();
        String answer = perCall == null ? this.answer : perCall.apply(call);
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        bodies.add(body);
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (rawBody != null) {
            send(exchange, 200, "application/json", rawBody);
        } else if (failWithStatus != 0) {
            send(exchange, failWithStatus, "application/json", "{\"error\":{\"message\":\"stub failure\"}}");
        } else if (body.contains("\"stream\":true")) {
            send(exchange, 200, "text/event-stream", streamed(answer));
        } else {
            send(exchange, 200, "application/json", "{\"id\":\"cmpl-1\",\"object\":\"chat.completion\",\"model\":\""
                    + model + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
                    + quote(answer) + "},\"finish_reason\":\"" + finishReason + "\"}],"
                    + "\"usage\":" + usage() + "}");
        }
    }

    private String streamed(String answer) {
        StringBuilder out = new StringBuilder();
        for (String word : answer.split("(?<= )")) {
            out.append("data: {\"model\":\"").append(model).append("\",\"choices\":[{\"index\":0,\"delta\":{\"content\":")
                    .append(quote(word)).append("}}]}\n\n");
        }
        out.append("data: {\"model\":\"").append(model).append("\",\"choices\":[{\"index\":0,\"delta\":{},")
                .append("\"finish_reason\":\"").append(finishReason).append("\"}]}\n\n");
        out.append("data: {\"model\":\"").append(model).append("\",\"choices\":[],\"usage\":").append(usage())
                .append("}\n\n");
        return out.append("data: [DONE]\n\n").toString();
    }

    private String usage() {
        return "{\"prompt_tokens\":" + promptTokens + ",\"completion_tokens\":" + completionTokens
                + ",\"total_tokens\":" + (promptTokens + completionTokens)
                + ",\"prompt_tokens_details\":{\"cached_tokens\":" + cachedTokens + "}}";
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("content-type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
