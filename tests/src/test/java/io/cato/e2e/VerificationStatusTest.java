package io.cato.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cato.local.LocalCato;
import io.cato.testing.OpenAiStub;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The query API says what became of an answer's verification on the embedded default, which runs a verifier. */
class VerificationStatusTest {

    @Test
    void aModelsAnswerInASession_isPendingVerification_whileACachedOrStatelessOneIsSkipped(@TempDir Path data) {
        try (OpenAiStub model = new OpenAiStub().answering("Vienna is the capital of Austria.");
             LocalCato cato = RunningCato.start(data, Map.of("CATO_TIER_SHADOW_BASE_URL", model.baseUrl().toString()))) {
            Http http = new Http(cato.port());

            JsonNode answered = http.query("verify-1", "What is the capital of Austria?");
            JsonNode cached = http.query("verify-2", "What is the capital of Austria?");
            JsonNode stateless = Http.json(http.postJson("/api/cato/query",
                    "{\"query\":\"What is the capital of Hungary?\"}").body());

            assertThat(answered.path("verification").path("status").asText()).isEqualTo("pending");
            assertThat(cached.path("cached").asBoolean()).isTrue();
            assertThat(cached.path("verification").path("status").asText()).isEqualTo("skipped");
            assertThat(stateless.path("verification").path("status").asText()).isEqualTo("skipped");
        }
    }
}
