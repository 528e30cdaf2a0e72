package io.cato.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.cato.local.LocalCato;
import io.cato.testing.OpenAiStub;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** stream: true over HTTP gives OpenAI-style server-sent events relayed from the tier. */
class StreamingTest {

    @Test
    void streamedChat_arrivesAsServerSentEventsEndingWithDone(@TempDir Path data) {
        try (OpenAiStub model = new OpenAiStub().answering("one two three");
             LocalCato cato = RunningCato.start(data, Map.of("CATO_TIER_SHADOW_BASE_URL", model.baseUrl().toString()))) {
            HttpResponse<String> response = new Http(cato.port()).postJson("/v1/chat/completions",
                    "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"count\"}]}");

            assertThat(response.headers().firstValue("content-type")).contains("text/event-stream");
            assertThat(response.body()).contains("\"delta\":{\"role\":\"assistant\",\"content\":\"one \"}",
                    "\"content\":\"three\"", "\"finish_reason\":\"stop\"");
            assertThat(response.body()).endsWith("data: [DONE]\n\n");
            assertThat(model.requestBodies().getFirst()).contains("\"stream\":true");
        }
    }

    @Test
    void aWholeAnswer_isSentWithItsLength_whileAStreamedOneIsNot(@TempDir Path data) {
        try (OpenAiStub model = new OpenAiStub().answering("one two three");
             LocalCato cato = RunningCato.start(data, Map.of("CATO_TIER_SHADOW_BASE_URL", model.baseUrl().toString()))) {
            Http http = new Http(cato.port());
            HttpResponse<String> whole = http.postJson("/v1/chat/completions",
                    "{\"messages\":[{\"role\":\"user\",\"content\":\"count\"}]}");
            HttpResponse<String> streamed = http.postJson("/v1/chat/completions",
                    "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"count again\"}]}");

            assertThat(whole.headers().firstValueAsLong("content-length"))
                    .hasValue(whole.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
            assertThat(streamed.headers().firstValue("content-length")).isEmpty();
        }
    }
}
