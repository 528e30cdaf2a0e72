package io.cato.load;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A model upstream on loopback for load and chaos runs: OpenAI chat completions (plain and
 * streamed) and Bedrock Converse ({@code POST /model/{id}/converse}), over HTTP/1.1 and h2c on one
 * port. Latency, the error mix (5xx, 429, requests that never answer in time, slow streams) and
 * the token counts it reports are set by {@link Behaviour} and can change while it runs. Its
 * randomness is seeded, so a run's error sequence repeats.
 */
public final class UpstreamStub implements AutoCloseable {
    private static final Pattern CONVERSE = Pattern.compile("/model/([^/]+)/converse");

    /**
     * @param latency      time to the (first byte of the) answer
     * @param jitter       uniformly added on top of the latency, 0..jitter
     * @param serverErrors share of requests answered 500 or 503
     * @param throttled    share answered 429
     * @param hangs        share that wait {@code hang} before answering, past any sane caller timeout
     * @param slowStreams  share of streamed answers whose chunks come {@code latency} apart
     */
    public record Behaviour(Duration latency, Duration jitter, double serverErrors, double throttled, double hangs,
                            Duration hang, double slowStreams, int promptTokens, int completionTokens, String answer) {
        public static Behaviour healthy(Duration latency) {
            return new Behaviour(latency, Duration.ZERO, 0, 0, 0, Duration.ofSeconds(60), 0, 40, 60,
                    "A stub answer from the upstream.");
        }

        public Behaviour withErrors(double serverErrors, double throttled, double hangs, double slowStreams) {
            return new Behaviour(latency, jitter, serverErrors, throttled, hangs, hang, slowStreams, promptTokens,
                    completionTokens, answer);
        }

        public Behaviour withJitter(Duration value) {
            return new Behaviour(latency, value, serverErrors, throttled, hangs, hang, slowStreams, promptTokens,
                    completionTokens, answer);
        }

        public Behaviour withTokens(int prompt, int completion) {
            return new Behaviour(latency, jitter, serverErrors, throttled, hangs, hang, slowStreams, prompt, completion,
                    answer);
        }
    }

    private final Server server;
    private final ServerConnector connector;
    private final Random random;
    private volatile Behaviour behaviour;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong http2Calls = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong upgradedListings = new AtomicLong();

    public UpstreamStub(int port, Behaviour behaviour, long seed) {
        this.behaviour = behaviour;
        this.random = new Random(seed);
        QueuedThreadPool threads = new QueuedThreadPool(32, 2);
        threads.setName("upstream-stub");
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        HTTP2CServerConnectionFactory h2c = new HTTP2CServerConnectionFactory(http);
        h2c.setMaxConcurrentStreams(200_000);
        connector = new ServerConnector(server, new HttpConnectionFactory(http), h2c);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setAcceptQueueSize(8192);
        // Past the longest latency a run sets (steady-state runs hold each call for tens of seconds), so a
        // connection waiting on its answer is never closed as idle.
        connector.setIdleTimeout(Duration.ofMinutes(5).toMillis());
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                serve(request, response, callback);
                return true;
            }
        });
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("the upstream stub did not start", e);
        }
    }

    public UpstreamStub(Behaviour behaviour) {
        this(0, behaviour, 42);
    }

    public void behave(Behaviour value) {
        this.behaviour = value;
    }

    /** Base URL for an OpenAI-compatible tier. */
    public URI openAiBaseUrl() {
        return URI.create("http://127.0.0.1:" + port() + "/v1");
    }

    /** Endpoint override for a Bedrock tier. */
    public URI bedrockEndpoint() {
        return URI.create("http://127.0.0.1:" + port());
    }

    public int port() {
        return connector.getLocalPort();
    }

    public long calls() {
        return calls.get();
    }

    /** Model list requests that arrived over HTTP/2: a client's h2c upgrade went through. */
    public long upgradedListings() {
        return upgradedListings.get();
    }

    /** Model calls (chat completions and Converse) that arrived over HTTP/2. */
    public long http2Calls() {
        return http2Calls.get();
    }

    /** Requests answered with an error status or made to wait past the caller's timeout. */
    public long failed() {
        return failed.get();
    }

    private void serve(Request request, Response response, Callback callback) throws Exception {
        boolean http2 = request.getConnectionMetaData().getHttpVersion() == HttpVersion.HTTP_2;
        if (request.getMethod().equals("GET") && Request.getPathInContext(request).endsWith("/models")) {
            upgradedListings.addAndGet(http2 ? 1 : 0);
            send(response, callback, 200, "application/json",
                    "{\"object\":\"list\",\"data\":[{\"id\":\"stub-model\",\"object\":\"model\"}]}");
            return;
        }
        calls.incrementAndGet();
        if (http2) {
            http2Calls.incrementAndGet();
        }
        String body = Content.Source.asString(request, StandardCharsets.UTF_8);
        Behaviour b = behaviour;
        double roll;
        long jitter;
        synchronized (random) {
            roll = random.nextDouble();
            jitter = b.jitter().isZero() ? 0 : (long) (random.nextDouble() * b.jitter().toMillis());
        }
        Thread.sleep(b.latency().toMillis() + jitter);
        String path = Request.getPathInContext(request);
        if (roll < b.serverErrors()) {
            failed.incrementAndGet();
            send(response, callback, roll < b.serverErrors() / 2 ? 500 : 503, "application/json",
                    "{\"error\":{\"message\":\"stub outage\",\"type\":\"server_error\"}}");
        } else if (roll < b.serverErrors() + b.throttled()) {
            failed.incrementAndGet();
            response.getHeaders().put("x-amzn-ErrorType", "ThrottlingException");
            send(response, callback, 429, "application/json", "{\"message\":\"Rate exceeded\"}");
        } else if (roll < b.serverErrors() + b.throttled() + b.hangs()) {
            failed.incrementAndGet();
            Thread.sleep(b.hang().toMillis());
            send(response, callback, 504, "application/json", "{\"message\":\"late\"}");
        } else {
            Matcher converse = CONVERSE.matcher(path);
            if (converse.matches()) {
                send(response, callback, 200, "application/json", converse(b));
            } else if (path.endsWith("/chat/completions") && body.contains("\"stream\":true")) {
                stream(response, callback, b, roll >= 1 - b.slowStreams());
            } else if (path.endsWith("/chat/completions")) {
                send(response, callback, 200, "application/json", chatCompletion(b));
            } else {
                send(response, callback, 404, "application/json", "{\"error\":{\"message\":\"no such route\"}}");
            }
        }
    }

    private static String chatCompletion(Behaviour b) {
        return "{\"id\":\"cmpl-stub\",\"object\":\"chat.completion\",\"model\":\"stub-model\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"" + b.answer() + "\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":" + b.promptTokens() + ",\"completion_tokens\":" + b.completionTokens()
                + ",\"total_tokens\":" + (b.promptTokens() + b.completionTokens()) + "}}";
    }

    private static String converse(Behaviour b) {
        return "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"" + b.answer() + "\"}]}},"
                + "\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":" + b.promptTokens() + ",\"outputTokens\":"
                + b.completionTokens() + ",\"totalTokens\":" + (b.promptTokens() + b.completionTokens()) + "},"
                + "\"metrics\":{\"latencyMs\":" + b.latency().toMillis() + "}}";
    }

    private static void stream(Response response, Callback callback, Behaviour b, boolean slow) throws Exception {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
        Deque<String> chunks = new ArrayDeque<>();
        for (String word : List.of(b.answer().split("(?<= )"))) {
            chunks.add("data: {\"model\":\"stub-model\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + word
                    + "\"}}]}\n\n");
        }
        chunks.add("data: {\"model\":\"stub-model\",\"choices\":[],\"usage\":{\"prompt_tokens\":" + b.promptTokens()
                + ",\"completion_tokens\":" + b.completionTokens() + "}}\n\ndata: [DONE]\n\n");
        while (!chunks.isEmpty()) {
            String chunk = chunks.poll();
            Callback.Completable written = new Callback.Completable();
            response.write(chunks.isEmpty(), ByteBuffer.wrap(chunk.getBytes(StandardCharsets.UTF_8)), written);
            written.get();
            if (slow && !chunks.isEmpty()) {
                Thread.sleep(Math.max(50, b.latency().toMillis()));
            }
        }
        callback.succeeded();
    }

    private static void send(Response response, Callback callback, int status, String type, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code UpstreamStub [--port N] [--latency-ms N] [--jitter-ms N] [--server-errors F] [--throttled F]
     * [--hangs F] [--slow-streams F] [--prompt-tokens N] [--completion-tokens N] [--seed N]}: runs until killed,
     * printing its port on the first line.
     */
    public static void main(String[] args) throws InterruptedException {
        Deque<String> rest = new ArrayDeque<>(List.of(args));
        int port = 0;
        long seed = 42;
        Duration latency = Duration.ofMillis(100);
        Duration jitter = Duration.ZERO;
        double errors = 0, throttled = 0, hangs = 0, slow = 0;
        int prompt = 40, completion = 60;
        while (!rest.isEmpty()) {
            String flag = rest.pop();
            String value = rest.pop();
            switch (flag) {
                case "--port" -> port = Integer.parseInt(value);
                case "--latency-ms" -> latency = Duration.ofMillis(Long.parseLong(value));
                case "--jitter-ms" -> jitter = Duration.ofMillis(Long.parseLong(value));
                case "--server-errors" -> errors = Double.parseDouble(value);
                case "--throttled" -> throttled = Double.parseDouble(value);
                case "--hangs" -> hangs = Double.parseDouble(value);
                case "--slow-streams" -> slow = Double.parseDouble(value);
                case "--prompt-tokens" -> prompt = Integer.parseInt(value);
                case "--completion-tokens" -> completion = Integer.parseInt(value);
                case "--seed" -> seed = Long.parseLong(value);
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        Behaviour behaviour = Behaviour.healthy(latency).withJitter(jitter).withErrors(errors, throttled, hangs, slow)
                .withTokens(prompt, completion);
        UpstreamStub stub = new UpstreamStub(port, behaviour, seed);
        System.out.println(stub.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
