package io.cato.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.cato.config.Json;
import io.cato.aws.testing.BedrockStub;
import io.cato.aws.testing.SageMakerStub;
import io.cato.model.ChatMessage;
import io.cato.model.ModelClient;
import io.cato.model.ModelRequest;
import io.cato.model.Provider;
import io.cato.model.TierConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The clients ModelClients builds for AWS tiers reach their endpoint override and retry throttling. */
class ModelClientsTest {
    private final BedrockStub bedrock = new BedrockStub();
    private final SageMakerStub sageMaker = new SageMakerStub();

    private static TierConfig tier(Provider provider, String modelId, URI endpoint) {
        return TierConfig.builder().name(provider.name().toLowerCase(java.util.Locale.ROOT)).provider(provider)
                .modelId(modelId).prices(TierConfig.Prices.FREE).timeout(Duration.ofSeconds(5)).contextWindow(8192)
                .historyBudget(4096).maxOutputTokens(512).endpoint(Optional.of(endpoint)).promptCacheMinTokens(1024)
                .build();
    }

    private static ModelRequest question() {
        return new ModelRequest(null, List.of(ChatMessage.user("Capital of France?")), 100, 0.2, Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        assertThat(bedrock.violations()).isEmpty();
        assertThat(sageMaker.violations()).isEmpty();
        bedrock.close();
        sageMaker.close();
    }

    @Test
    void bedrockTier_throttledOnce_isRetriedAndAnswers() {
        bedrock.failingOnceWith(429, "ThrottlingException", "Too many requests, please wait before trying again.");
        ModelClient client = ModelClients.client(tier(Provider.BEDROCK, "anthropic.claude-3-5-haiku-20241022-v1:0",
                bedrock.endpoint()), ModelClients.httpClient(false, 1), Json.newMapper());

        assertThat(client.complete(question()).text()).isEqualTo("Paris is the capital.");
        assertThat(bedrock.requests()).hasSize(2);
    }

    @Test
    void sageMakerTier_callsTheEndpointNamedByTheModelId() {
        ModelClient client = ModelClients.client(tier(Provider.SAGEMAKER, "cato-shadow-self", sageMaker.endpoint()),
                ModelClients.httpClient(false, 1), Json.newMapper());

        assertThat(client.complete(question()).text()).isEqualTo("Paris is the capital.");
        assertThat(sageMaker.lastRequest().path()).isEqualTo("/endpoints/cato-shadow-self/invocations");
    }
}
