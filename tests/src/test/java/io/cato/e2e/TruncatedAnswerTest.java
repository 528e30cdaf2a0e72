package io.cato.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cato.local.LocalCato;
import io.cato.testing.OpenAiStub;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An answer cut short by its token limit is reported as such (finish_reason "length") and is never kept in the shared
 * cache, so nobody who asks without that limit is served the cut answer.
 */
class TruncatedAnswerTest {
    private static final String QUESTION = "{\"max_tokens\":5,\"messages\":[{\"role\":\"user\","
            + "\"content\":\"Explain how photosynthesis works.\"}]}";

    @Test
    void anAnswerCutAtItsTokenLimit_saysSo_andIsNotServedToTheNextAsker(@TempDir Path data) {
        try (OpenAiStub model = new OpenAiStub().answeringPerCall(n -> "Photosynthesis turns light into").finishing("length");
             LocalCato cato = RunningCato.start(data, Map.of("CATO_TIER_SHADOW_BASE_URL", model.baseUrl().toString()))) {
            Http http = new Http(cato.port());

            HttpResponse<String> whole = http.postJson("/v1/chat/completions", QUESTION);
            HttpResponse<String> streamed = http.postJson("/v1/chat/completions",
                    QUESTION.replace("{\"max_tokens\":5,", "{\"stream\":true,\"max_tokens\":5,"));
            model.finishing("stop");
            JsonNode unlimited = Http.json(http.postJson("/v1/chat/completions",
                    "{\"messages\":[{\"role\":\"user\",\"content\":\"Explain how photosynthesis works.\"}]}").body());

            assertThat(Http.json(whole.body()).path("choices").path(0).path("finish_reason").asText()).isEqualTo("length");
            assertThat(streamed.body()).contains("\"finish_reason\":\"length\"");
            assertThat(unlimited.path("cato").path("cached").asBoolean()).isFalse();
            assertThat(model.calls()).isEqualTo(3);
        }
    }
}
