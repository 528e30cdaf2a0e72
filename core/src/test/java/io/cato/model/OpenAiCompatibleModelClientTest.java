package io.cato.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cato.config.Json;
import io.cato.testing.OpenAiStub;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenAiCompatibleModelClientTest {
    private final OpenAiStub stub = new OpenAiStub().answering("Paris is the capital.").model("llama-3-8b");

    private OpenAiCompatibleModelClient client(Duration timeout) {
        TierConfig tier = TierConfig.builder().name("shadow").provider(Provider.OPENAI).modelId("llama-3-8b")
                .baseUrl(Optional.of(stub.baseUrl().toString())).apiKey(Optional.of("secret"))
                .prices(TierConfig.Prices.FREE).timeout(timeout).contextWindow(8192).historyBudget(4096)
                .maxOutputTokens(512).build();
        return new OpenAiCompatibleModelClient(tier, HttpClient.newHttpClient(), Json.newMapper());
    }

    private static ModelRequest request() {
        return new ModelRequest("be brief", List.of(ChatMessage.user("Capital of France?")), 100, 0.2,
                Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    @Test
    void complete_returnsTextModelAndUsage_andSendsTheChatShape() {
        ModelReply reply = client(Duration.ofSeconds(5)).complete(request());

        assertThat(reply).isEqualTo(new ModelReply("Paris is the capital.", "llama-3-8b", new TokenUsage(12, 5, 0)));
        assertThat(stub.requestBodies().getFirst())
                .contains("\"model\":\"llama-3-8b\"", "\"role\":\"system\"", "\"content\":\"be brief\"",
                        "\"content\":\"Capital of France?\"", "\"max_tokens\":100");
    }

    @Test
    void stream_passesDeltasOnInOrder() {
        List<String> deltas = new ArrayList<>();
        ModelReply reply = client(Duration.ofSeconds(5)).stream(request(), deltas::add);

        assertThat(String.join("", deltas)).isEqualTo("Paris is the capital.");
        assertThat(deltas).hasSizeGreaterThan(1);
        assertThat(reply.text()).isEqualTo("Paris is the capital.");
        assertThat(reply.usage().inputTokens()).isEqualTo(12);
    }

    @Test
    void stream_takesItsUsageFromTheFinalChunk_cachedPromptTokensIncluded() {
        stub.reportingUsage(300, 7, 128);

        ModelReply reply = client(Duration.ofSeconds(5)).stream(request(), delta -> { });

        assertThat(reply.usage()).isEqualTo(new TokenUsage(300, 7, 128));
    }

    @Test
    void stream_withoutAUsageChunk_estimatesTheWholePrompt_itsSystemPromptIncluded() {
        stub.answeringRaw("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Paris.\"}}]}\n\n"
                + "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                + "data: [DONE]\n\n");

        ModelReply reply = client(Duration.ofSeconds(5)).stream(request(), delta -> { });

        int prompt = TokenEstimator.estimateMessage("be brief") + TokenEstimator.estimateMessage("Capital of France?");
        assertThat(reply.usage()).isEqualTo(new TokenUsage(prompt, TokenEstimator.estimate("Paris."), 0));
    }

    @Test
    void status429_isThrottled() {
        stub.failingWith(429);
        assertThatThrownBy(() -> client(Duration.ofSeconds(5)).complete(request()))
                .isInstanceOfSatisfying(ModelCallException.class,
                        e -> assertThat(e.failure()).isInstanceOf(ModelFailure.Throttled.class));
    }

    @Test
    void status500_isUnavailable() {
        stub.failingWith(500);
        assertThatThrownBy(() -> client(Duration.ofSeconds(5)).complete(request()))
                .isInstanceOfSatisfying(ModelCallException.class,
                        e -> assertThat(e.failure()).isInstanceOf(ModelFailure.Unavailable.class));
    }

    @Test
    void slowerThanTheTimeout_isTimedOut() {
        stub.delay(Duration.ofSeconds(2));
        assertThatThrownBy(() -> client(Duration.ofMillis(200)).complete(request()))
                .isInstanceOfSatisfying(ModelCallException.class,
                        e -> assertThat(e.failure()).isInstanceOf(ModelFailure.TimedOut.class));
    }

    @Test
    void classify_readsContextLengthAndContentPolicyErrors() {
        assertThat(OpenAiCompatibleModelClient.classify(400,
                "{\"error\":{\"code\":\"context_length_exceeded\"}}")).isInstanceOf(ModelFailure.ContextTooLong.class);
        assertThat(OpenAiCompatibleModelClient.classify(400,
                "This model's maximum context length is 8192 tokens")).isInstanceOf(ModelFailure.ContextTooLong.class);
        assertThat(OpenAiCompatibleModelClient.classify(400,
                "{\"error\":{\"code\":\"content_filter\"}}")).isInstanceOf(ModelFailure.Refused.class);
        assertThat(OpenAiCompatibleModelClient.classify(504, "")).isInstanceOf(ModelFailure.TimedOut.class);
        assertThat(OpenAiCompatibleModelClient.classify(401, "")).isInstanceOf(ModelFailure.Unavailable.class);
    }
}
