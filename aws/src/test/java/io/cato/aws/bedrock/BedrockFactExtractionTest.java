package io.cato.aws.bedrock;

import java.util.Optional;
import io.cato.config.SettingsLoader;
import io.cato.config.Settings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.aws.testing.BedrockStub;
import io.cato.memory.CandidateFact;
import io.cato.memory.ExtractiveFactExtractor;
import io.cato.memory.FactExtractor;
import io.cato.memory.ModelFactExtractor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Fact extraction through the real Bedrock Runtime client against the loopback Converse stub. */
class BedrockFactExtractionTest {

    @Test
    void withAModelConfigured_factsComeFromConverseAsSchemaJson() {
        try (BedrockStub stub = new BedrockStub().answering(
                "{\"facts\":[{\"statement\":\"Machine learning lets computers learn from data.\",\"confidence\":0.9}]}")) {
            FactExtractor extractor = BedrockFactExtraction.from(extraction(Map.of(
                    "CATO_EXTRACTION_MODEL_ID", BedrockModelClientTest.MODEL,
                    "CATO_EXTRACTION_MODEL_REGION", "us-east-1",
                    "CATO_EXTRACTION_MODEL_ENDPOINT", stub.endpoint().toString())), "us-east-1", new ObjectMapper());

            List<CandidateFact> facts = extractor.extract("What is machine learning?",
                    "Machine learning lets computers learn from data.", "ai");

            assertThat(facts).containsExactly(new CandidateFact("Machine learning lets computers learn from data.", 0.9));
            assertThat(stub.violations()).isEmpty();
            var request = stub.lastRequest();
            assertThat(request.path()).isEqualTo("/model/" + BedrockModelClientTest.MODEL + "/converse");
            assertThat(request.body().path("inferenceConfig").path("temperature").asDouble()).isZero();
            assertThat(request.body().path("inferenceConfig").path("maxTokens").asInt()).isPositive();
            assertThat(request.body().path("system").get(0).path("text").asText()).contains(ModelFactExtractor.SCHEMA);
            assertThat(request.body().path("messages").get(0).path("content").get(0).path("text").asText())
                    .contains("Domain: ai", "Question: What is machine learning?");
        }
    }

    @Test
    void withoutAModel_theOfflineExtractorIsUsed() {
        assertThat(BedrockFactExtraction.from(extraction(Map.of()), "us-east-1", new ObjectMapper()))
                .isInstanceOf(ExtractiveFactExtractor.class);
    }

    private static Settings.Extraction extraction(Map<String, String> env) {
        return new SettingsLoader(env).load(Optional.empty()).workflows().extraction();
    }
}
