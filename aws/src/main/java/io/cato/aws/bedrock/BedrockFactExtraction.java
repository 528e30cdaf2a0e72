package io.cato.aws.bedrock;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.aws.AwsClients;
import io.cato.memory.ExtractiveFactExtractor;
import io.cato.memory.FactExtractor;
import io.cato.memory.ModelFactExtractor;
import io.cato.model.Provider;
import io.cato.model.RetryingModelClient;
import io.cato.model.TierConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The fact extractor a workflow function uses: Claude on Bedrock through Converse when
 * {@code CATO_EXTRACTION_MODEL_ID} names a model (region {@code AWS_REGION}, or
 * {@code CATO_EXTRACTION_MODEL_REGION}; {@code CATO_EXTRACTION_MODEL_ENDPOINT} overrides the endpoint for a
 * stub), otherwise the offline {@link ExtractiveFactExtractor}.
 */
public final class BedrockFactExtraction {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private BedrockFactExtraction() {
    }

    public static FactExtractor fromEnvironment(Map<String, String> env, ObjectMapper mapper) {
        Optional<String> modelId = value(env, "CATO_EXTRACTION_MODEL_ID");
        if (modelId.isEmpty()) {
            return new ExtractiveFactExtractor();
        }
        TierConfig tier = new TierConfig("fact_extraction", Provider.BEDROCK, modelId.get(), Optional.empty(),
                Optional.empty(), TierConfig.Prices.FREE, TIMEOUT, 200_000, 0, 600,
                value(env, "CATO_EXTRACTION_MODEL_REGION").or(() -> value(env, "AWS_REGION")),
                value(env, "CATO_EXTRACTION_MODEL_ENDPOINT").map(URI::create), 0);
        var client = RetryingModelClient.withDefaults(new BedrockModelClient(tier, AwsClients.bedrockRuntime(tier),
                AwsClients.bedrockRuntimeAsync(tier)));
        return new ModelFactExtractor(client, mapper, TIMEOUT.multipliedBy(2));
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
    }
}
