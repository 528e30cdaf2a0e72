package io.cato.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cato.local.LocalCato;
import io.cato.testing.OneMinute;
import io.cato.testing.OpenAiStub;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Limits in the embedded default: over HTTP, on its DynamoDB Local, kept in its data directory across restarts. */
class LimitsTest {
    private static final String BUDGETS = "{\"budgets\": {\"defaults\": {\"user\": "
            + "{\"requests_per_minute\": 2, \"tokens_per_minute\": 100000}}}}";

    private static String chat(String user) {
        return "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"user\":\"" + user + "\"}";
    }

    @Test
    void requestsOverAUsersLimit_areRefusedWith429AndOpenAisHeaders_andAdminLimitsSurviveARestart(@TempDir Path data) {
        try (OpenAiStub model = new OpenAiStub().answering("hello")) {
            Map<String, String> env = Map.of("CATO_TIER_SHADOW_BASE_URL", model.baseUrl().toString(),
                    "CATO_CACHE_ENABLED", "false", "CATO_CONFIG_JSON", BUDGETS);
            try (LocalCato cato = RunningCato.start(data, env)) {
                Http http = new Http(cato.port());
                List<HttpResponse<String>> three = OneMinute.within(attempt -> List.of(
                        http.postJson("/v1/chat/completions", chat("user-" + attempt)),
                        http.postJson("/v1/chat/completions", chat("user-" + attempt)),
                        http.postJson("/v1/chat/completions", chat("user-" + attempt))));

                HttpResponse<String> first = three.get(0);
                HttpResponse<String> third = three.get(2);
                assertThat(first.statusCode()).isEqualTo(200);
                assertThat(first.headers().firstValue("x-ratelimit-limit-requests")).contains("2");
                assertThat(first.headers().firstValue("x-ratelimit-remaining-requests")).contains("1");
                assertThat(first.headers().firstValue("x-ratelimit-limit-tokens")).contains("100000");
                assertThat(three.get(1).statusCode()).isEqualTo(200);
                assertThat(third.statusCode()).isEqualTo(429);
                assertThat(Http.json(third.body()).path("error").path("code").asText()).isEqualTo("rate_limited");
                assertThat(third.headers().firstValue("retry-after")).isPresent();

                HttpResponse<String> set = admin(cato, "PUT", "{\"tenant\":\"default\",\"user\":\"alice\","
                        + "\"limits\":{\"requests_per_minute\":7}}");
                assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
            }
            try (LocalCato restarted = RunningCato.start(data, env)) {
                JsonNode read = Http.json(admin(restarted, "POST", "{\"tenant\":\"default\",\"user\":\"alice\"}").body());

                assertThat(read.path("limits").path("admin").path("requests_per_minute").asLong()).isEqualTo(7);
                assertThat(read.path("limits").path("configured").path("requests_per_minute").asLong()).isEqualTo(2);
                assertThat(read.path("usage").path("requests_per_minute").path("limit").asLong()).isEqualTo(7);
            }
        }
    }

    private static HttpResponse<String> admin(LocalCato cato, String method, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cato.port()
                        + "/api/admin/cato/limits"))
                .header("content-type", "application/json")
                .header("authorization", "Bearer " + RunningCato.ADMIN_TOKEN)
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build();
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
