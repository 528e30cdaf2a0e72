package io.cato.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.api.AdminAuth;
import io.cato.api.CatoApi;
import io.cato.api.Idempotency;
import io.cato.aws.bedrock.BedrockModelClient;
import io.cato.aws.dynamodb.DynamoDbHealthCheck;
import io.cato.aws.dynamodb.DynamoDbSessionStore;
import io.cato.aws.dynamodb.PowertoolsIdempotencyStore;
import io.cato.aws.sagemaker.SageMakerShadowClient;
import io.cato.config.Settings;
import io.cato.model.MemoryAnswerer;
import io.cato.model.ModelClient;
import io.cato.model.OpenAiCompatibleModelClient;
import io.cato.model.Provider;
import io.cato.model.RetryingModelClient;
import io.cato.model.TierConfig;
import io.cato.rollout.LegacyRoute;
import io.cato.rollout.RolloutFlag;
import io.cato.routing.Orchestrator;
import io.cato.routing.Tier;
import io.cato.routing.Tiers;
import io.cato.status.HealthCheck;
import io.cato.status.ServiceStats;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The one place that assembles Cato from its settings; the Lambda function and the local server share it. */
public final class CatoWiring {
    private CatoWiring() {
    }

    public static CatoApi api(Settings settings, DynamoDbClient dynamo, RolloutFlag rollout, ObjectMapper mapper,
                              HttpClient http, Clock clock) {
        Tiers tiers = new Tiers(settings.tiers().stream().filter(TierConfig::enabled)
                .map(config -> new Tier(config, client(config, http, mapper))).toList(), settings.fallbackChain());
        ServiceStats stats = new ServiceStats();
        var sessions = new DynamoDbSessionStore(dynamo, settings.tables().sessions(), settings.sessionTtl());
        var orchestrator = new Orchestrator(sessions, tiers, stats, clock, new Orchestrator.Limits(
                settings.maxTurnsRead(), settings.defaultMaxTokens(), 0.7, settings.requestTimeout()));
        var idempotencyStore = new PowertoolsIdempotencyStore(dynamo, settings.tables().idempotency(),
                settings.idempotencyWindow(), mapper, clock);
        var idempotency = new Idempotency(idempotencyStore, settings.requestTimeout().plus(Duration.ofSeconds(5)));
        List<HealthCheck> checks = List.of(new DynamoDbHealthCheck(dynamo, settings.tables().sessions()),
                new DynamoDbHealthCheck(dynamo, settings.tables().idempotency()));
        return new CatoApi(new CatoApi.Parts(mapper, orchestrator, tiers, idempotency, rollout,
                legacy(settings, http, mapper), new AdminAuth(settings.adminToken()), checks, stats, clock,
                settings.maxBodyBytes(), settings.requestTimeout()));
    }

    /**
     * One client per tier, built once at start (SnapStart snapshots it): no SDK client is ever
     * built per request. Remote tiers retry throttling within the request's deadline.
     */
    static ModelClient client(TierConfig config, HttpClient http, ObjectMapper mapper) {
        return switch (config.provider()) {
            case OPENAI -> RetryingModelClient.withDefaults(new OpenAiCompatibleModelClient(config, http, mapper));
            case BEDROCK -> RetryingModelClient.withDefaults(new BedrockModelClient(config,
                    AwsClients.bedrockRuntime(config), AwsClients.bedrockRuntimeAsync(config)));
            case SAGEMAKER -> RetryingModelClient.withDefaults(new SageMakerShadowClient(config,
                    AwsClients.sageMakerRuntime(config), mapper));
            case MEMORY -> new MemoryAnswerer();
        };
    }

    private static Optional<LegacyRoute> legacy(Settings settings, HttpClient http, ObjectMapper mapper) {
        return settings.legacy().map(legacy -> {
            TierConfig tier = new TierConfig("legacy", Provider.OPENAI, legacy.model(),
                    Optional.of(legacy.baseUrl().toString()), legacy.apiKey(), TierConfig.Prices.FREE, legacy.timeout(),
                    128_000, 0, 4096);
            return new LegacyRoute(legacy.baseUrl(), legacy.apiKey(), http, legacy.timeout(),
                    new OpenAiCompatibleModelClient(tier, http, mapper));
        });
    }

    public static HttpClient httpClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
    }
}
