package io.cato.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.aws.testing.DynamoDbLocal;
import io.cato.config.Settings;
import io.cato.testing.OpenAiStub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The route function's artifact, unpacked into an empty folder and started the way the java25
 * managed runtime starts it (its runtime interface client as main class, the handler string from
 * template.yaml), answers the sample API Gateway events under functions/route/events through a
 * loopback Runtime API, with DynamoDB Local behind it.
 */
class RouteArtifactRuntimeTest {
    static final String HANDLER = "io.cato.route.RouteHandler::handleRequest";
    static final Duration ANSWER = Duration.ofSeconds(60);

    @TempDir
    static Path taskRoot;
    @TempDir
    Path work;

    private static DynamoDbLocal dynamo;
    private final OpenAiStub model = new OpenAiStub().answering("Hello from the model");
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
        runtime = new RuntimeApiStub();
    }

    @AfterEach
    void stop() throws Exception {
        if (function != null) {
            function.close();
        }
        runtime.close();
        model.close();
    }

    private void startFunction(boolean snapStart, Map<String, String> env) throws Exception {
        function = LambdaProcess.start(taskRoot, HANDLER, null, runtime.hostAndPort(), snapStart, env,
                work.resolve("function.log"));
    }

    private Map<String, String> env() {
        return RouteFunctionEnvironment.of(dynamo.endpoint(), tables, model.baseUrl(), work.resolve("djl"));
    }

    static byte[] event(String name) throws Exception {
        return Files.readAllBytes(LambdaArtifact.repositoryRoot().resolve("functions/route/events").resolve(name));
    }

    private String answer(String eventName) throws Exception {
        String id = runtime.invoke(event(eventName), Duration.ofSeconds(29));
        try {
            return runtime.awaitResponse(id, ANSWER).text();
        } catch (Exception e) {
            throw new AssertionError(eventName + " not answered; function log:\n" + function.output(), e);
        }
    }

    @Test
    void logLinesAndMetrics_areJsonObjectsWithTheInvocationsFields() throws Exception {
        startFunction(false, env());
        model.failingWith(500);

        String id = runtime.invoke(event("query.json"), Duration.ofSeconds(29));
        assertThat(runtime.awaitResponse(id, ANSWER).text()).contains("\"statusCode\":200");

        String output = function.output();
        List<JsonNode> lines = output.lines().filter(line -> line.startsWith("{"))
                .map(RouteArtifactRuntimeTest::json).toList();
        assertThat(lines).as(output).filteredOn(line -> line.path("message").asText().startsWith("tier failed"))
                .isNotEmpty().allSatisfy(line -> {
                    assertThat(line.path("level").asText()).isEqualTo("WARN");
                    assertThat(line.path("service").asText()).isEqualTo("cato-route");
                    assertThat(line.path("function_request_id").asText()).isEqualTo(id);
                    assertThat(line.path("cold_start").asText()).isEqualTo("true");
                    assertThat(line.has("function_name")).isTrue();
                });
        assertThat(lines).filteredOn(line -> line.has("_aws") && line.has("CacheStatus")).singleElement()
                .satisfies(emf -> {
                    assertThat(emf.path("_aws").path("CloudWatchMetrics").get(0).path("Namespace").asText())
                            .isEqualTo("Cato");
                    assertThat(emf.path("Service").asText()).isEqualTo("cato-route");
                    assertThat(emf.path("Fallback").asInt()).isEqualTo(1);
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
    void sampleEvents_areAnsweredUnderTheRuntimeInterfaceClient() throws Exception {
        startFunction(false, env());

        assertThat(answer("query.json")).contains("\"statusCode\":200", "Hello from the model");
        assertThat(answer("query-followup.json")).contains("\"statusCode\":200");
        assertThat(answer("chat-completions.json")).contains("\"statusCode\":200", "chat.completion",
                "Hello from the model");
        assertThat(answer("malformed.json")).contains("\"statusCode\":400", "invalid_json");
        assertThat(answer("admin-status.json")).contains("\"statusCode\":200");
        assertThat(runtime.errors()).isEmpty();
        assertThat(dynamo.client().scan(s -> s.tableName(tables.sessions())).count()).isPositive();
    }

    @Test
    void repeatedQueryWithItsIdempotencyKey_isReplayedWithoutASecondModelCall() throws Exception {
        startFunction(false, env());

        String first = answer("query.json");
        String second = answer("query.json");

        assertThat(first).contains("Hello from the model");
        assertThat(second).contains("idempotent-replayed");
        assertThat(model.calls()).isEqualTo(1);
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
    void snapStartInit_primesFromThePackageBeforeTheSnapshotAndSignsWithRealCredentialsAfterTheRestore()
            throws Exception {
        try (SigningRecordingProxy proxy = new SigningRecordingProxy(dynamo.endpoint())) {
            Map<String, String> env = env();
            env.put("CATO_AWS_ENDPOINT", proxy.endpoint().toString());
            startFunction(true, env);

            awaitRestore();
            List<SigningRecordingProxy.Request> beforeSnapshot = proxy.requests();
            String answer = answer("query.json");

            // beforeCheckpoint ran the package's priming: a read of the priming key, signed with the
            // placeholder key (no credentials in the snapshot), which the engine refuses.
            assertThat(beforeSnapshot).anySatisfy(r -> {
                assertThat(r.operation()).endsWith("GetItem");
                assertThat(r.body()).contains("#priming#");
                assertThat(r.accessKeyId()).isEqualTo("SNAPSHOTPLACEHOLDER");
            });
            assertThat(beforeSnapshot).allSatisfy(r -> assertThat(r.operation()).doesNotContain("Put", "Update"));
            // afterRestore let the environment's own credentials through: the first request is answered.
            assertThat(answer).as(function::output).contains("\"statusCode\":200", "Hello from the model");
            assertThat(proxy.requests().subList(beforeSnapshot.size(), proxy.requests().size()))
                    .isNotEmpty().allSatisfy(r -> assertThat(r.accessKeyId()).isNotEqualTo("SNAPSHOTPLACEHOLDER"));
            assertThat(runtime.errors()).isEmpty();
        }
    }

    @Test
    void eventTheHandlerCannotRead_isReportedAsAnInvocationErrorAndTheNextIsAnswered() throws Exception {
        startFunction(false, env());

        String unreadable = runtime.invoke("not an event".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Duration.ofSeconds(29));
        String next = runtime.invoke(event("admin-status.json"), Duration.ofSeconds(29));

        assertThat(runtime.awaitResponse(next, ANSWER).text()).as(function::output).contains("\"statusCode\":200");
        assertThat(runtime.errorFor(unreadable)).hasValueSatisfying(error -> assertThat(error.errorType()).isNotBlank());
    }

    @Test
    void invalidConfiguration_isReportedAsAnInitErrorAndTheProcessExits() throws Exception {
        Map<String, String> env = env();
        env.put("CATO_CONFIG_JSON", "{\"limits\": ");
        startFunction(false, env);

        RuntimeApiStub.Error error = runtime.awaitInitError(ANSWER);

        assertThat(error.errorType()).isNotBlank();
        assertThat(function.awaitExit(30)).isNotZero();
    }
}
