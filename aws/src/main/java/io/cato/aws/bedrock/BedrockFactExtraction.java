package io.cato.aws.bedrock;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.aws.AwsClients;
import io.cato.config.Settings;
import io.cato.memory.ExtractiveFactExtractor;
import io.cato.memory.FactExtractor;
import io.cato.memory.ModelFactExtractor;
import io.cato.model.Provider;
import io.cato.model.RetryingModelClient;
import io.cato.model.TierConfig;
import java.time.Duration;
import java.util.Optional;

/**
 * The fact extractor a workflow function uses: Claude on Bedrock through Converse when
 * the settings name a model ({@code CATO_EXTRACTION_MODEL_ID}; region {@code AWS_REGION}, or
 * {@code CATO_EXTRACTION_MODEL_REGION}; {@code CATO_EXTRACTION_MODEL_ENDPOINT} overrides the endpoint for a
 * stub), otherwise the offline {@link ExtractiveFactExtractor}.
 */
public final class BedrockFactExtraction {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private BedrockFactExtraction() {
    }

    /** @param region the function's region, used when {@code extraction} names none */
    public static FactExtractor from(Settings.Extraction extraction, String region, ObjectMapper mapper) {
        Optional<String> modelId = extraction.modelId();
        if (modelId.isEmpty()) {
            return new ExtractiveFactExtractor();
        }
        TierConfig tier = TierConfig.builder().name("fact_extraction").provider(Provider.BEDROCK)
                .modelId(modelId.get()).prices(TierConfig.Prices.FREE).timeout(TIMEOUT).contextWindow(200_000)
                .historyBudget(0).maxOutputTokens(600).region(extraction.region().or(() -> Optional.of(region)))
                .endpoint(extraction.endpoint()).promptCacheMinTokens(0).build();
        var client = RetryingModelClient.withDefaults(new BedrockModelClient(tier, AwsClients.bedrockRuntime(tier),
                AwsClients.bedrockRuntimeAsync(tier)));
        return new ModelFactExtractor(client, mapper, TIMEOUT.multipliedBy(2));
    }
}
