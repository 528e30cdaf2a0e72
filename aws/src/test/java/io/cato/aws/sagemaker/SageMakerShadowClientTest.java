package io.cato.aws.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.cato.config.Json;
import io.cato.aws.AwsClients;
import io.cato.aws.testing.SageMakerStub;
import io.cato.aws.testing.SdkClientsToClose;
import io.cato.model.ChatMessage;
import io.cato.model.ModelCallException;
import io.cato.model.ModelFailure;
import io.cato.model.ModelReply;
import io.cato.model.ModelRequest;
import io.cato.model.Provider;
import io.cato.model.TierConfig;
import io.cato.model.TokenUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The real SageMaker Runtime SDK against a loopback stub answering InvokeEndpoint as SageMaker does. */
class SageMakerShadowClientTest {
    private static final String ENDPOINT = "cato-shadow-self";
    private static final SdkClientsToClose SDK_CLIENTS = new SdkClientsToClose();

    private final SageMakerStub stub = new SageMakerStub();

    private SageMakerShadowClient client(Duration timeout) {
        TierConfig tier = TierConfig.builder().name("shadow").provider(Provider.SAGEMAKER).modelId(ENDPOINT)
                .prices(TierConfig.Prices.FREE).timeout(timeout).contextWindow(8192).historyBudget(6000)
                .maxOutputTokens(1024).region(Optional.of("us-east-1")).endpoint(Optional.of(stub.endpoint()))
                .promptCacheMinTokens(0).build();
        return new SageMakerShadowClient(tier, SDK_CLIENTS.add(AwsClients.sageMakerRuntime(tier)), Json.newMapper());
    }

    private SageMakerShadowClient client() {
        return client(Duration.ofSeconds(5));
    }

    private static ModelRequest question() {
        return new ModelRequest("Be brief.", List.of(ChatMessage.user("Capital of France?"),
                ChatMessage.assistant("Paris."), ChatMessage.user("And of Italy?")), 2000, 0.3, Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        assertThat(stub.violations()).isEmpty();
        stub.close();
    }

    @AfterAll
    static void closeClients() throws InterruptedException {
        SDK_CLIENTS.closeAll();
    }

    @Test
    void complete_sendsAChatCompletionsRequestToTheEndpoint_andReadsTheAnswer() {
        stub.answering("Rome.");

        ModelReply reply = client().complete(question());

        assertThat(reply).isEqualTo(new ModelReply("Rome.", ENDPOINT, new TokenUsage(31, 6, 0)));
        var sent = stub.lastRequest();
        assertThat(sent.path()).isEqualTo("/endpoints/" + ENDPOINT + "/invocations");
        assertThat(sent.contentType()).isEqualTo("application/json");
        assertThat(sent.accept()).isEqualTo("application/json");
        assertThat(sent.authorization()).startsWith("AWS4-HMAC-SHA256 Credential=local/").contains("/sagemaker/");
        JsonNode body = sent.body();
        assertThat(body.path("model").asText()).isEqualTo(ENDPOINT);
        List<String> roles = new ArrayList<>();
        body.path("messages").forEach(m -> roles.add(m.path("role").asText() + ": " + m.path("content").asText()));
        assertThat(roles).containsExactly("system: Be brief.", "user: Capital of France?", "assistant: Paris.",
                "user: And of Italy?");
        assertThat(body.path("max_tokens").asInt()).as("capped at the tier's max_output_tokens").isEqualTo(1024);
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.3);
    }

    @Test
    void stream_passesTheWholeAnswerOnAsOneDelta() {
        List<String> deltas = new ArrayList<>();

        ModelReply reply = client().stream(question(), deltas::add);

        assertThat(deltas).containsExactly(reply.text());
    }

    @ParameterizedTest(name = "container HTTP {0} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            429 | {"object":"error","message":"Too many requests","code":429}                                     | Throttled
            400 | {"object":"error","message":"This model's maximum context length is 8192 tokens. However, you requested 9100 tokens.","code":400} | ContextTooLong
            400 | {"object":"error","message":"temperature must be non-negative","code":400}                      | Unavailable
            500 | Internal Server Error                                                                           | Unavailable
            503 | Service Unavailable                                                                             | Unavailable
            """)
    void containerErrors_wrappedAsModelError_areTypedByTheOriginalStatus(int status, String body, String expected) {
        stub.containerFailingWith(status, body);

        assertThatThrownBy(() -> client().complete(question()))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.tier()).isEqualTo("shadow");
                    assertThat(e.failure().getClass().getSimpleName()).isEqualTo(expected);
                });
        assertThat(stub.requests()).as("the SDK does not retry on its own").hasSize(1);
    }

    @ParameterizedTest(name = "HTTP {0} {1} -> {2}")
    @CsvSource({
            "400, ThrottlingException, Throttled",
            "429, ThrottlingException, Throttled",
            "429, ModelNotReadyException, Unavailable",
            "503, ServiceUnavailable, Unavailable",
            "500, InternalFailure, Unavailable",
            "424, InternalDependencyException, Unavailable",
            "400, ValidationError, Unavailable"})
    void serviceErrors_areTyped(int status, String errorType, String expected) {
        stub.failingWith(status, errorType);

        assertThatThrownBy(() -> client().complete(question()))
                .isInstanceOfSatisfying(ModelCallException.class,
                        e -> assertThat(e.failure().getClass().getSimpleName()).isEqualTo(expected));
    }

    @Test
    void noAnswerWithinTheTimeout_isTimedOut_aboutAtTheTimeout() {
        stub.hangFor(Duration.ofSeconds(20));
        SageMakerShadowClient client = client(Duration.ofMillis(400));
        long started = System.nanoTime();

        assertThatThrownBy(() -> client.complete(question()))
                .isInstanceOfSatisfying(ModelCallException.class,
                        e -> assertThat(e.failure()).isInstanceOf(ModelFailure.TimedOut.class));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(350), Duration.ofSeconds(3));
    }

    @Test
    void bodyThatIsNotAChatCompletion_isUnavailable() {
        stub.answeringMalformed();

        assertThatThrownBy(() -> client().complete(question()))
                .isInstanceOfSatisfying(ModelCallException.class,
                        e -> assertThat(e.failure()).isInstanceOf(ModelFailure.Unavailable.class));
    }

    @Test
    void contentFilterFinish_isRefused() {
        stub.finishReason("content_filter");

        assertThatThrownBy(() -> client().complete(question()))
                .isInstanceOfSatisfying(ModelCallException.class,
                        e -> assertThat(e.failure()).isInstanceOf(ModelFailure.Refused.class));
    }
}
