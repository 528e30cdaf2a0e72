package io.cato.route;

import io.cato.config.SettingsLoader;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.aws.testing.DynamoDbLocal;
import io.cato.config.Settings;
import io.cato.testing.OpenAiStub;
import java.util.Optional;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * One deadline per request in the deployed handler: with every model tier hanging, the function still answers (from
 * the memory tier) before its own time-out, and a repeat of the request with the same Idempotency-Key meanwhile makes
 * no model call of its own.
 */
class RouteDeadlineTest {
    private static final DynamoDbLocal DYNAMO = new DynamoDbLocal();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What the Lambda runtime says is left of the invocation when it hands the event over. */
    private static final int FUNCTION_TIME_LEFT_MS = 6_000;

    @AfterAll
    static void stop() {
        DYNAMO.close();
    }

    @Test
    void everyTierHanging_isAnsweredByTheMemoryTierBeforeTheFunctionTimesOut_andARepeatCallsNoModel()
            throws Exception {
        Settings.Tables tables = DYNAMO.freshTables();
        try (OpenAiStub hanging = new OpenAiStub().answering("too late").delay(Duration.ofSeconds(60))) {
            String tier = "\"provider\":\"openai\",\"model_id\":\"m\",\"base_url\":\"" + hanging.baseUrl()
                    + "\",\"context_window\":200000,\"history_budget\":16000,\"max_output_tokens\":4096";
            // The template's figures: tiers of 20 s and 15 s, a 27 s request deadline, behind a function with less left.
            RouteHandler handler = new RouteHandler(new RouteWiring(new SettingsLoader(Map.of(
                    "CATO_AWS_ENDPOINT", DYNAMO.endpoint().toString(),
                    "AWS_REGION", "us-east-1",
                    "CATO_SESSIONS_TABLE", tables.sessions(),
                    "CATO_IDEMPOTENCY_TABLE", tables.idempotency(),
                    "CATO_BREAKERS_TABLE", tables.breakers(),
                    "CATO_CONFIG_JSON", "{\"limits\":{\"request_timeout_ms\":27000,\"memory_reserve_ms\":1000},"
                            + "\"tiers\":[{\"name\":\"sonnet\"," + tier + ",\"timeout_ms\":20000},"
                            + "{\"name\":\"haiku\"," + tier + ",\"timeout_ms\":15000},"
                            + "{\"name\":\"memory\",\"provider\":\"memory\",\"model_id\":\"memory\",\"timeout_ms\":1000,"
                            + "\"context_window\":32000,\"history_budget\":16000,\"max_output_tokens\":1000}],"
                            + "\"fallback_chain\":[\"sonnet\",\"haiku\",\"memory\"]}")).load(Optional.empty())).api());

            long started = System.nanoTime();
            CompletableFuture<APIGatewayProxyResponseEvent> first = CompletableFuture.supplyAsync(
                    () -> handler.handleRequest(query("deadline-1"), new InvocationContext(FUNCTION_TIME_LEFT_MS)));
            waitUntil(() -> hanging.calls() >= 1);
            APIGatewayProxyResponseEvent repeat = handler.handleRequest(query("deadline-1"),
                    new InvocationContext(FUNCTION_TIME_LEFT_MS));
            APIGatewayProxyResponseEvent answered = first.get();
            long tookMs = (System.nanoTime() - started) / 1_000_000;

            assertThat(answered.getStatusCode()).isEqualTo(200);
            JsonNode body = JSON.readTree(answered.getBody());
            assertThat(body.path("model").asText()).isEqualTo("memory");
            assertThat(body.path("routing").path("degraded").asBoolean()).isTrue();
            assertThat(tookMs).isLessThan(FUNCTION_TIME_LEFT_MS);
            assertThat(repeat.getStatusCode()).isEqualTo(409);
            // The first tier used up the time the chain could give; the second was skipped, and the repeat called none.
            assertThat(hanging.calls()).isEqualTo(1);
        }
    }

    private static APIGatewayProxyRequestEvent query(String key) {
        return new APIGatewayProxyRequestEvent().withHttpMethod("POST").withPath("/api/cato/query")
                .withHeaders(Map.of("Content-Type", "application/json", "Idempotency-Key", key))
                .withBody("{\"query\":\"Summarise the contract\",\"session_id\":\"deadline\"}");
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long giveUp = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(10);
        }
    }

    /** The part of the Lambda context the handler reads: the time left before the function times out. */
    private record InvocationContext(int remainingAtStartMs, long startedNanos) implements Context {
        InvocationContext(int remainingAtStartMs) {
            this(remainingAtStartMs, System.nanoTime());
        }

        @Override
        public int getRemainingTimeInMillis() {
            return (int) (remainingAtStartMs - (System.nanoTime() - startedNanos) / 1_000_000);
        }

        @Override
        public String getAwsRequestId() {
            return "test-request";
        }

        @Override
        public String getLogGroupName() {
            return "/aws/lambda/cato-route";
        }

        @Override
        public String getLogStreamName() {
            return "test";
        }

        @Override
        public String getFunctionName() {
            return "cato-route";
        }

        @Override
        public String getFunctionVersion() {
            return "1";
        }

        @Override
        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:us-east-1:000000000000:function:cato-route";
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getMemoryLimitInMB() {
            return 2048;
        }

        @Override
        public LambdaLogger getLogger() {
            return null;
        }
    }
}
