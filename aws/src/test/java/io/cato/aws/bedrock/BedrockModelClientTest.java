package io.cato.aws.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.cato.aws.AwsClients;
import io.cato.aws.testing.BedrockStub;
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

/** The real Bedrock Runtime SDK against a loopback stub answering Converse as Bedrock does. */
class BedrockModelClientTest {
    static final String MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";
    /** About 1,250 estimated tokens: above a 1,024-token checkpoint minimum. */
    static final String LONG = "The archive holds letters, ledgers and maps from the founding years. ".repeat(73);

    private final BedrockStub stub = new BedrockStub();
    private static final SdkClientsToClose SDK_CLIENTS = new SdkClientsToClose();

    static TierConfig tier(BedrockStub stub, Duration timeout, int cacheMinTokens) {
        return TierConfig.builder().name("haiku").provider(Provider.BEDROCK).modelId(MODEL)
                .prices(TierConfig.Prices.FREE).timeout(timeout).contextWindow(200_000).historyBudget(100_000)
                .maxOutputTokens(512).region(Optional.of("us-east-1")).endpoint(Optional.of(stub.endpoint()))
                .promptCacheMinTokens(cacheMinTokens).build();
    }

    private BedrockModelClient client(Duration timeout, int cacheMinTokens) {
        TierConfig tier = tier(stub, timeout, cacheMinTokens);
        return new BedrockModelClient(tier, SDK_CLIENTS.add(AwsClients.bedrockRuntime(tier)),
                SDK_CLIENTS.add(AwsClients.bedrockRuntimeAsync(tier)));
    }

    private BedrockModelClient client() {
        return client(Duration.ofSeconds(5), 1024);
    }

    static ModelRequest request(String system, ChatMessage... messages) {
        return new ModelRequest(system, List.of(messages), 100, 0.25, Duration.ofSeconds(5));
    }

    static ModelRequest question() {
        return request("Be brief.", ChatMessage.user("Capital of France?"));
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
    void complete_sendsTheConverseShape_andReturnsTextAndUsage() {
        ModelReply reply = client().complete(question());

        assertThat(reply).isEqualTo(new ModelReply("Paris is the capital.", MODEL, new TokenUsage(25, 3, 0)));
        var sent = stub.lastRequest();
        assertThat(sent.path()).isEqualTo("/model/" + MODEL + "/converse");
        assertThat(sent.authorization()).startsWith("AWS4-HMAC-SHA256 Credential=local/").contains("/us-east-1/bedrock/");
        JsonNode body = sent.body();
        assertThat(body.at("/system/0/text").asText()).isEqualTo("Be brief.");
        assertThat(body.at("/messages/0/role").asText()).isEqualTo("user");
        assertThat(body.at("/messages/0/content/0/text").asText()).isEqualTo("Capital of France?");
        assertThat(body.at("/inferenceConfig/maxTokens").asInt()).isEqualTo(100);
        assertThat(body.at("/inferenceConfig/temperature").asDouble()).isEqualTo(0.25);
        assertThat(cachePoints(body)).isEmpty();
    }

    @Test
    void maxTokens_isAlwaysSent_cappedAtTheTiersMaximumOutput() {
        client().complete(new ModelRequest(null, List.of(ChatMessage.user("Write a saga.")), 100_000, 0.7,
                Duration.ofSeconds(5)));

        JsonNode body = stub.lastRequest().body();
        assertThat(body.at("/inferenceConfig/maxTokens").asInt()).isEqualTo(512);
        assertThat(body.has("system")).as("no empty system block without a system prompt")
                .isFalse();
    }

    @Test
    void usage_countsCacheReadsAndWritesApart_insideTheInputTotal() {
        stub.usage(12, 3, 1500, 40);

        ModelReply reply = client().complete(question());

        assertThat(reply.usage()).isEqualTo(new TokenUsage(12 + 1500 + 40, 3, 1500, 40));
        assertThat(reply.usage().uncachedInputTokens()).isEqualTo(12);
    }

    @Test
    void cachePoint_followsTheEarlierTurns_whenThePrefixIsAboveTheMinimum() {
        client().complete(request("Be brief.", ChatMessage.user(LONG), ChatMessage.assistant("Noted."),
                ChatMessage.user("Which years?")));

        JsonNode body = stub.lastRequest().body();
        assertThat(cachePoints(body)).containsExactly("/messages/1/content/1");
        assertThat(body.at("/messages/1/content/1/cachePoint/type").asText()).isEqualTo("default");
        assertThat(body.at("/messages/1/content/0/text").asText()).isEqualTo("Noted.");
        assertThat(body.at("/messages/2/content/0/text").asText()).isEqualTo("Which years?");
    }

    @Test
    void cachePoint_followsTheSystemPrompt_whenThereAreNoEarlierTurns() {
        client().complete(request(LONG, ChatMessage.user("Which years?")));

        JsonNode body = stub.lastRequest().body();
        assertThat(cachePoints(body)).containsExactly("/system/1");
        assertThat(body.at("/system/1/cachePoint/type").asText()).isEqualTo("default");
    }

    @Test
    void noCachePoint_whenThePrefixIsBelowTheModelsMinimum_orCachingIsOff() {
        ModelRequest longHistory = request("Be brief.", ChatMessage.user(LONG), ChatMessage.assistant("Noted."),
                ChatMessage.user("Which years?"));

        client(Duration.ofSeconds(5), 2048).complete(longHistory);
        assertThat(cachePoints(stub.lastRequest().body())).isEmpty();

        client(Duration.ofSeconds(5), 0).complete(longHistory);
        assertThat(cachePoints(stub.lastRequest().body())).isEmpty();
    }

    @Test
    void noCachePoint_forALongQuestionAlone_becauseTheQuestionIsNotAStablePrefix() {
        client().complete(request(null, ChatMessage.user(LONG)));

        assertThat(cachePoints(stub.lastRequest().body())).isEmpty();
    }

    @ParameterizedTest(name = "HTTP {0} {1} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            429 | ThrottlingException           | Too many requests, please wait before trying again. | Throttled
            429 | TooManyRequests               | slow down                                           | Throttled
            500 | InternalServerException       | internal error                                      | Unavailable
            503 | ServiceUnavailableException   | Service Unavailable                                 | Unavailable
            429 | ModelNotReadyException        | Model is not ready to serve inference requests      | Unavailable
            424 | ModelErrorException           | The model failed to process the request             | Unavailable
            502 | BadGateway                    | bad gateway                                         | Unavailable
            408 | ModelTimeoutException         | Model has timed out in processing the request       | TimedOut
            400 | ValidationException           | Input is too long for requested model.              | ContextTooLong
            400 | ValidationException           | prompt is too long: 210000 tokens > 200000 maximum  | ContextTooLong
            400 | ValidationException           | A conversation must start with a user message.      | Unavailable
            403 | AccessDeniedException         | You don't have access to the model                  | Unavailable
            """)
    void errors_areTypedAtTheBoundary(int status, String errorType, String message, String expected) {
        stub.failingWith(status, errorType, message);

        assertThatThrownBy(() -> client().complete(question()))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.tier()).isEqualTo("haiku");
                    assertThat(e.failure().getClass().getSimpleName()).isEqualTo(expected);
                });
        assertThat(stub.requests()).as("the SDK does not retry on its own").hasSize(1);
    }

    @Test
    void noAnswerWithinTheTimeout_isTimedOut_aboutAtTheTimeout() {
        stub.hangFor(Duration.ofSeconds(20));
        BedrockModelClient client = client(Duration.ofMillis(400), 1024);
        long started = System.nanoTime();

        assertThatThrownBy(() -> client.complete(question()))
                .isInstanceOfSatisfying(ModelCallException.class,
                        e -> assertThat(e.failure()).isInstanceOf(ModelFailure.TimedOut.class));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(350), Duration.ofSeconds(3));
    }

    @Test
    void aShorterRequestDeadline_winsOverTheTiersTimeout() {
        stub.hangFor(Duration.ofSeconds(20));
        BedrockModelClient client = client(Duration.ofSeconds(10), 1024);
        long started = System.nanoTime();

        assertThatThrownBy(() -> client.complete(question().withDeadline(Duration.ofMillis(300))))
                .isInstanceOfSatisfying(ModelCallException.class,
                        e -> assertThat(e.failure()).isInstanceOf(ModelFailure.TimedOut.class));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void unreadableBody_isUnavailable() {
        stub.answeringMalformed();

        assertThatThrownBy(() -> client().complete(question()))
                .isInstanceOfSatisfying(ModelCallException.class,
                        e -> assertThat(e.failure()).isInstanceOf(ModelFailure.Unavailable.class));
    }

    @Test
    void nothingListening_isUnavailable() {
        BedrockModelClient client = client();
        stub.close();

        assertThatThrownBy(() -> client.complete(question()))
                .isInstanceOfSatisfying(ModelCallException.class,
                        e -> assertThat(e.failure()).isInstanceOf(ModelFailure.Unavailable.class));
    }

    @ParameterizedTest(name = "stopReason {0} -> {1}")
    @CsvSource({"guardrail_intervened, Refused", "content_filtered, Refused",
            "model_context_window_exceeded, ContextTooLong"})
    void stopReasons_thatMeanNoAnswer_areTyped(String stopReason, String expected) {
        stub.stopReason(stopReason).answering("Sorry, the model cannot answer this question.");

        assertThatThrownBy(() -> client().complete(question()))
                .isInstanceOfSatisfying(ModelCallException.class,
                        e -> assertThat(e.failure().getClass().getSimpleName()).isEqualTo(expected));
    }

    @Test
    void maxTokensStop_isStillAnAnswer() {
        stub.stopReason("max_tokens").answering("Paris is");

        assertThat(client().complete(question()).text()).isEqualTo("Paris is");
    }

    /** JSON pointers of every cachePoint block in system[] and messages[].content[]. */
    static List<String> cachePoints(JsonNode body) {
        List<String> found = new ArrayList<>();
        JsonNode system = body.path("system");
        for (int i = 0; i < system.size(); i++) {
            if (system.get(i).has("cachePoint")) {
                found.add("/system/" + i);
            }
        }
        JsonNode messages = body.path("messages");
        for (int m = 0; m < messages.size(); m++) {
            JsonNode content = messages.get(m).path("content");
            for (int c = 0; c < content.size(); c++) {
                if (content.get(c).has("cachePoint")) {
                    found.add("/messages/" + m + "/content/" + c);
                }
            }
        }
        return found;
    }
}
