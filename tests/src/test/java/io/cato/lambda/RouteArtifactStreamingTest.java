package io.cato.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.aws.testing.DynamoDbLocal;
import io.cato.config.Settings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The route function as template.yaml deploys it for API Gateway's streaming integration: the
 * unpacked artifact started by the java25 runtime's command line through the function's exec
 * wrapper (stream-bootstrap), which runs the function's own runtime client. Its answers reach the
 * loopback Runtime API in streaming mode, in API Gateway's format (JSON prelude, eight NUL bytes,
 * body), and a streamed chat answer's events arrive while the model is still producing tokens.
 */
class RouteArtifactStreamingTest {
    private static final String WRAPPER = "stream-bootstrap";
    private static final List<String> TOKENS = List.of("Once ", "upon ", "a ", "time ", "a ", "lighthouse.");
    /** The model's pace: one token a second after the first. */
    private static final Duration TOKEN_INTERVAL = Duration.ofSeconds(1);

    @TempDir
    static Path taskRoot;
    @TempDir
    Path work;

    private static DynamoDbLocal dynamo;
    /** What the model wrote and what reached the Runtime API, in the order it happened. */
    private final List<String> timeline = new CopyOnWriteArrayList<>();
    private PacedModelStub model;
    private RuntimeApiStub runtime;
    private LambdaProcess function;
    private Settings.Tables tables;

    @BeforeAll
    static void unpack() throws Exception {
        LambdaArtifact.of("functions/route").unpack(taskRoot);
        dynamo = new DynamoDbLocal();
    }

    @AfterAll
    static void stopDynamo() {
        dynamo.close();
    }

    @BeforeEach
    void start() throws Exception {
        tables = dynamo.freshTables();
        model = new PacedModelStub(TOKENS, TOKEN_INTERVAL, written -> timeline.add("model " + written));
        runtime = new RuntimeApiStub();
        runtime.onStreamedBytes(bytes -> timeline.add("runtime " + new String(bytes, StandardCharsets.UTF_8)));
    }

    @AfterEach
    void stop() throws Exception {
        if (function != null) {
            function.close();
        }
        runtime.close();
        model.close();
    }

    private void startFunction(boolean snapStart) throws Exception {
        startFunction(snapStart, dynamo.endpoint());
    }

    private void startFunction(boolean snapStart, java.net.URI awsEndpoint) throws Exception {
        Map<String, String> env = RouteFunctionEnvironment.of(awsEndpoint, tables, model.baseUrl(),
                work.resolve("djl"));
        function = LambdaProcess.start(taskRoot, RouteArtifactRuntimeTest.HANDLER, WRAPPER, runtime.hostAndPort(),
                snapStart, env, work.resolve("function.log"));
    }

    private RuntimeApiStub.Response answer(String eventName) throws Exception {
        String id = runtime.invoke(RouteArtifactRuntimeTest.event(eventName), Duration.ofSeconds(300));
        try {
            return runtime.awaitResponse(id, Duration.ofSeconds(90));
        } catch (Exception e) {
            throw new AssertionError(eventName + " not answered; function log:\n" + function.output(), e);
        }
    }

    @Test
    void streamedChatAnswer_reachesTheRuntimeApiEventByEventWhileTheModelIsStillWriting() throws Exception {
        startFunction(false);

        RuntimeApiStub.Response response = answer("chat-completions-stream.json");

        assertThat(response.responseMode()).isEqualTo("streaming");
        assertThat(response.transferEncoding()).isEqualToIgnoringCase("chunked");
        assertThat(response.contentType()).isEqualTo("application/vnd.awslambda.http-integration-response");
        Streamed streamed = Streamed.parse(response.body());
        assertThat(streamed.prelude()).contains("\"statusCode\":200", "text/event-stream");
        assertThat(streamed.body()).contains("Once ", "lighthouse.", "data: [DONE]");

        int firstTokenArrived = indexOf(e -> e.startsWith("runtime ") && e.contains("Once "));
        int lastTokenWritten = timeline.indexOf("model token " + (TOKENS.size() - 1));
        assertThat(firstTokenArrived).as("the first token reached the Runtime API\n%s", timeline).isNotNegative();
        assertThat(lastTokenWritten).as("the model wrote its last token").isNotNegative();
        assertThat(firstTokenArrived).as("first event before the model's last token\n%s", timeline)
                .isLessThan(lastTokenWritten);
        // Each token is forwarded before the model writes the next one.
        for (int i = 1; i < TOKENS.size() - 1; i++) {
            String token = TOKENS.get(i);
            int arrived = indexOfAfter(firstTokenArrived, e -> e.startsWith("runtime ") && e.contains(token));
            assertThat(arrived).as("token %d arrived before token %d was written\n%s", i, i + 1, timeline)
                    .isNotNegative().isLessThan(timeline.indexOf("model token " + (i + 1)));
        }
    }

    @Test
    void aStreamedAnswersMetrics_areWrittenAsItsInvocationEnds() throws Exception {
        startFunction(false);

        answer("chat-completions-stream.json");

        // The metrics are flushed right after the stream is closed: wait for them, up to a deadline.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!function.output().contains("\"_aws\"") && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        List<JsonNode> emf = function.output().lines().filter(line -> line.startsWith("{\"_aws\""))
                .map(RouteArtifactStreamingTest::json).filter(line -> line.has("CacheStatus")).toList();
        assertThat(emf).as(function.output()).singleElement().satisfies(line -> {
            assertThat(line.path("_aws").path("CloudWatchMetrics").get(0).path("Namespace").asText()).isEqualTo("Cato");
            assertThat(line.path("Service").asText()).isEqualTo("cato-route");
            assertThat(line.path("Answers").asInt()).isEqualTo(1);
        });
    }

    private static JsonNode json(String line) {
        try {
            return new ObjectMapper().readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not one JSON object: " + line, e);
        }
    }

    @Test
    void jsonAnswers_takeTheSamePathWhole() throws Exception {
        startFunction(false);

        Streamed query = Streamed.parse(answer("query.json").body());
        Streamed malformed = Streamed.parse(answer("malformed.json").body());

        assertThat(query.prelude()).contains("\"statusCode\":200", "application/json");
        assertThat(query.body()).contains("Once upon a time a lighthouse.");
        assertThat(malformed.prelude()).contains("\"statusCode\":400");
        assertThat(malformed.body()).contains("invalid_json");
        assertThat(runtime.errors()).isEmpty();
    }

    @Test
    void eventThatIsNotAnApiGatewayEvent_isReportedAsAnInvocationError() throws Exception {
        startFunction(false);

        String id = runtime.invoke("not an event".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(30));
        String next = runtime.invoke(RouteArtifactRuntimeTest.event("admin-status.json"), Duration.ofSeconds(30));

        assertThat(runtime.awaitResponse(next, Duration.ofSeconds(90)).text()).contains("\"statusCode\":200");
        assertThat(runtime.errorFor(id)).hasValueSatisfying(error -> {
            assertThat(error.errorType()).startsWith("Runtime.");
            assertThat(error.body()).contains("errorMessage");
        });
    }

    private void awaitRestore() throws Exception {
        try {
            runtime.awaitRestoreRequested(Duration.ofSeconds(90));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("restore/next never requested; errors " + runtime.errors() + "; function log:\n"
                    + function.output(), e);
        }
    }

    @Test
    void snapStartInit_runsThePackagesPrimingThroughTheWrapperAndAnswersAfterTheRestore() throws Exception {
        try (SigningRecordingProxy proxy = new SigningRecordingProxy(dynamo.endpoint())) {
            startFunction(true, proxy.endpoint());

            awaitRestore();
            List<SigningRecordingProxy.Request> beforeSnapshot = proxy.requests();
            Streamed query = Streamed.parse(answer("query.json").body());

            assertThat(beforeSnapshot).anySatisfy(r -> {
                assertThat(r.operation()).endsWith("GetItem");
                assertThat(r.body()).contains("#priming#");
            });
            assertThat(query.prelude()).as(function::output).contains("\"statusCode\":200");
            assertThat(query.body()).contains("Once upon a time a lighthouse.");
        }
    }

    private int indexOf(java.util.function.Predicate<String> which) {
        return indexOfAfter(-1, which);
    }

    private int indexOfAfter(int start, java.util.function.Predicate<String> which) {
        List<String> events = List.copyOf(timeline);
        for (int i = start + 1; i < events.size(); i++) {
            if (which.test(events.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** A response in API Gateway's streaming format: prelude, eight NUL bytes, body. */
    record Streamed(String prelude, String body) {
        static Streamed parse(byte[] response) {
            for (int i = 0; i + 8 <= response.length; i++) {
                if (Arrays.equals(response, i, i + 8, new byte[8], 0, 8)) {
                    return new Streamed(new String(response, 0, i, StandardCharsets.UTF_8),
                            new String(response, i + 8, response.length - i - 8, StandardCharsets.UTF_8));
                }
            }
            throw new AssertionError("no prelude delimiter in: " + new String(response, StandardCharsets.UTF_8));
        }
    }
}
