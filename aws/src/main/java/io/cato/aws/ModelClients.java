package io.cato.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.api.LegacyRoute;
import io.cato.aws.bedrock.BedrockModelClient;
import io.cato.aws.http.StripedHttpClient;
import io.cato.aws.sagemaker.SageMakerShadowClient;
import io.cato.config.Settings;
import io.cato.model.MemoryAnswerer;
import io.cato.model.ModelClient;
import io.cato.model.OpenAiCompatibleModelClient;
import io.cato.model.Provider;
import io.cato.model.RetryingModelClient;
import io.cato.model.StructuredOutputModelClient;
import io.cato.model.TierConfig;
import io.cato.routing.Tier;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;

/**
 * The clients that reach model tiers, one per tier, built once at start (SnapStart snapshots them): no SDK
 * client is ever built per request. Remote tiers retry throttling within the request's deadline.
 */
public final class ModelClients {
    private ModelClients() {
    }

    public static ModelClient client(TierConfig config, HttpClient http, ObjectMapper mapper) {
        return switch (config.provider()) {
            case OPENAI -> RetryingModelClient.withDefaults(new OpenAiCompatibleModelClient(config, http, mapper));
            case BEDROCK -> RetryingModelClient.withDefaults(new BedrockModelClient(config,
                    AwsClients.bedrockRuntime(config), AwsClients.bedrockRuntimeAsync(config)));
            case SAGEMAKER -> RetryingModelClient.withDefaults(new SageMakerShadowClient(config,
                    AwsClients.sageMakerRuntime(config), mapper));
            case MEMORY -> new MemoryAnswerer();
        };
    }

    /**
     * A remote tier's answers are held to the request's response format and tool definitions outside its breaker:
     * an answer of the wrong shape moves the chain on without counting as the provider's outage.
     */
    public static Tier checked(Tier tier, ObjectMapper mapper) {
        return tier.config().provider() == Provider.MEMORY ? tier
                : new Tier(tier.config(), new StructuredOutputModelClient(tier.name(), tier.client(), mapper));
    }

    /** The legacy proxy's route, when the rollout names one. */
    public static Optional<LegacyRoute> legacy(Settings.Rollout rollout, HttpClient http, ObjectMapper mapper) {
        return rollout.legacy().map(legacy -> {
            TierConfig tier = TierConfig.builder().name("legacy").provider(Provider.OPENAI).modelId(legacy.model())
                    .baseUrl(Optional.of(legacy.baseUrl().toString())).apiKey(legacy.apiKey())
                    .prices(TierConfig.Prices.FREE).timeout(legacy.timeout()).contextWindow(128_000).historyBudget(0)
                    .maxOutputTokens(4096).build();
            return new LegacyRoute(legacy.baseUrl(), legacy.apiKey(), http, legacy.timeout(),
                    new OpenAiCompatibleModelClient(tier, http, mapper));
        });
    }

    /** The HTTP client of the OpenAI-compatible tiers and the legacy proxy, as {@code models} asks. */
    public static HttpClient httpClient(Settings.Models models) {
        return httpClient(models.http2(), models.connections());
    }

    /**
     * @param http2 ask upstreams for HTTP/2 (ALPN over TLS, an h2c upgrade over plain HTTP), so many calls
     *              share one connection; servers without it keep answering in HTTP/1.1
     * @param connections independent clients the calls are spread over in turn; over HTTP/2 each keeps one
     *                    connection per upstream, so this is how many connections the calls share
     */
    public static HttpClient httpClient(boolean http2, int connections) {
        return StripedHttpClient.of(connections, () -> HttpClient.newBuilder()
                .version(http2 ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build());
    }
}
