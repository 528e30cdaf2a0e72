package io.cato.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cato.local.LocalCato;
import io.cato.testing.OpenAiStub;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Limits in the embedded default: over HTTP, on its DynamoDB Local, kept in its data directory across restarts. */
class LimitsTest {
    private static final String CHAT = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"user\":\"alice\"}";

    @Test
    void requestsOverAUsersLimit_areRefusedWith429AndOpenAisHeaders_andAdminLimitsSurviveARestart(@TempDir Path data)
            throws Exception {
        try (OpenAiStub model = new OpenAiStub().answering("hello")) {
            Map<String, String> env = Map.of("CATO_TIER_SHADOW_BASE_URL", model.baseUrl().toString(),
                    "CATO_CACHE_ENABLED", "false", "CATO_CONFIG_JSON", "{\"budgets\": {\"enabled\": true}}");
            try (LocalCato cato = RunningCato.start(data, env)) {
                HttpResponse<String> set = send(cato, "PUT", "{\"tenant\":\"default\",\"user\":\"alice\","
                        + "\"limits\":{\"requests_per_minute\":2,\"tokens_per_minute\":100000}}");
                assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
                Http http = new Http(cato.port());

                HttpResponse<String> first = http.postJson("/v1/chat/completions", CHAT);
                http.postJson("/v1/chat/completions", CHAT);
                HttpResponse<String> third = http.postJson("/v1/chat/completions", CHAT);

                assertThat(first.statusCode()).isEqualTo(200);
                assertThat(first.headers().firstValue("x-ratelimit-limit-requests")).contains("2");
                assertThat(first.headers().firstValue("x-ratelimit-remaining-requests")).contains("1");
                assertThat(first.headers().firstValue("x-ratelimit-limit-tokens")).contains("100000");
                assertThat(third.statusCode()).isEqualTo(429);
                assertThat(Http.json(third.body()).path("error").path("code").asText()).isEqualTo("rate_limited");
                assertThat(third.headers().firstValue("retry-after")).isPresent();
                assertThat(model.calls()).isEqualTo(2);
            }
            try (LocalCato restarted = RunningCato.start(data, env)) {
                JsonNode read = Http.json(send(restarted, "POST", "{\"tenant\":\"default\",\"user\":\"alice\"}").body());

                assertThat(read.path("limits").path("admin").path("requests_per_minute").asLong()).isEqualTo(2);
                assertThat(read.path("usage").path("tokens_per_minute").path("limit").asLong()).isEqualTo(100000);
            }
        }
    }

    private static HttpResponse<String> send(LocalCato cato, String method, String body)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cato.port()
                        + "/api/admin/cato/limits"))
                .header("content-type", "application/json")
                .header("authorization", "Bearer " + RunningCato.ADMIN_TOKEN)
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build();
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }
}
