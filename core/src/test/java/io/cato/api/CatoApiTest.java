package io.cato.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cato.config.Json;
import io.cato.model.ModelCallException;
import io.cato.model.ModelClient;
import io.cato.model.ModelFailure;
import io.cato.model.ModelReply;
import io.cato.model.ModelRequest;
import io.cato.model.Provider;
import io.cato.model.TierConfig;
import io.cato.model.TokenUsage;
import io.cato.routing.Tier;
import io.cato.routing.Tiers;
import io.cato.testing.InMemoryCato;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CatoApiTest {
    private final InMemoryCato cato = new InMemoryCato();
    private final AtomicInteger modelCalls = new AtomicInteger();

    private static TierConfig tier(String name) {
        return TierConfig.builder().name(name).provider(Provider.OPENAI).modelId(name + "-model")
                .baseUrl(Optional.of("http://unused")).prices(new TierConfig.Prices(0.003, 0.015, 0.0003))
                .timeout(Duration.ofSeconds(5)).contextWindow(8192).historyBudget(4096).maxOutputTokens(512).build();
    }

    private Tier answering(String name, String text) {
        return new Tier(tier(name), request -> {
            modelCalls.incrementAndGet();
            return new ModelReply(text, name + "-model", new TokenUsage(1000, 100, 0));
        });
    }

    private static Tier failing(String name, ModelFailure failure) {
        ModelClient client = request -> {
            throw new ModelCallException(name, failure);
        };
        return new Tier(tier(name), client);
    }

    private static ApiResponse post(CatoApi api, String path, String body, Map<String, String> headers) {
        return api.handle(ApiRequest.json("POST", path, headers, body));
    }

    private static JsonNode json(ApiResponse response) throws Exception {
        return Json.newMapper().readTree(response.bodyText());
    }

    @Test
    void query_answeredByFirstTier_reportsTierCostAndTurn() throws Exception {
        CatoApi api = cato.api(List.of(answering("shadow", "42")), List.of("shadow"));

        JsonNode body = json(post(api, "/api/cato/query", "{\"query\":\"q\",\"session_id\":\"s\"}", Map.of()));

        assertThat(body.path("response").asText()).isEqualTo("42");
        assertThat(body.path("routing").path("tier").asText()).isEqualTo("shadow");
        assertThat(body.path("cost_usd").asDouble()).isEqualTo((1000 * 0.003 + 100 * 0.015) / 1000.0);
        assertThat(body.path("turn").asLong()).isEqualTo(1);
    }

    @Test
    void query_whenFirstTierFails_fallsBackAndNamesWhereItCameFrom() throws Exception {
        CatoApi api = cato.api(List.of(failing("sonnet", new ModelFailure.Throttled("429")), answering("haiku", "ok")),
                List.of("sonnet", "haiku"));

        JsonNode body = json(post(api, "/api/cato/query", "{\"query\":\"Hello\"}", Map.of()));

        assertThat(body.path("routing").path("tier").asText()).isEqualTo("haiku");
        assertThat(body.path("routing").path("fallback_from").asText()).isEqualTo("sonnet");
    }

    @Test
    void query_whenEveryModelFails_isAnsweredByMemoryWithA200AndDegradedFlag() throws Exception {
        CatoApi api = cato.api(List.of(failing("sonnet", new ModelFailure.Unavailable("500"))), List.of("sonnet"));

        ApiResponse response = post(api, "/api/cato/query", "{\"query\":\"Hello\"}", Map.of());

        assertThat(response.status()).isEqualTo(200);
        assertThat(json(response).path("model").asText()).isEqualTo("memory");
        assertThat(json(response).path("routing").path("degraded").asBoolean()).isTrue();
    }

    @Test
    void chat_withSession_readsStoredTurnsIntoTheModelsContext() throws Exception {
        AtomicInteger seenMessages = new AtomicInteger();
        Tier recording = new Tier(tier("shadow"), (ModelRequest request) -> {
            seenMessages.set(request.messages().size());
            return new ModelReply("fine", "m", TokenUsage.NONE);
        });
        CatoApi api = cato.api(List.of(recording), List.of("shadow"));
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

        post(api, "/v1/chat/completions", body, Map.of("x-cato-session", "s1"));
        post(api, "/v1/chat/completions", body, Map.of("x-cato-session", "s1"));

        assertThat(seenMessages.get()).isEqualTo(3);
    }

    @Test
    void chat_streamed_sendsOpenAiChunksThenDone() {
        CatoApi api = cato.api(List.of(answering("shadow", "streamed text")), List.of("shadow"));

        ApiResponse response = post(api, "/v1/chat/completions",
                "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", Map.of());

        assertThat(response.contentType()).isEqualTo("text/event-stream");
        String events = new String(response.bodyBytes(), StandardCharsets.UTF_8);
        assertThat(events).contains("\"object\":\"chat.completion.chunk\"", "\"content\":\"streamed text\"",
                "\"finish_reason\":\"stop\"").endsWith("data: [DONE]\n\n");
    }

    @Test
    void idempotencyKey_repeated_replaysTheSameBytesWithoutCallingTheModel() {
        CatoApi api = cato.api(List.of(answering("shadow", "once")), List.of("shadow"));
        Map<String, String> headers = Map.of("idempotency-key", "abc-1");
        String body = "{\"query\":\"q\",\"session_id\":\"s\"}";

        ApiResponse first = post(api, "/api/cato/query", body, headers);
        ApiResponse second = post(api, "/api/cato/query", body, headers);

        assertThat(second.bodyBytes()).isEqualTo(first.bodyBytes());
        assertThat(modelCalls.get()).isEqualTo(1);
        assertThat(cato.sessions.latest("default#s", 10)).hasSize(1);
    }

    @Test
    void idempotencyKey_reusedWithAnotherBody_is422() {
        CatoApi api = cato.api(List.of(answering("shadow", "once")), List.of("shadow"));
        Map<String, String> headers = Map.of("idempotency-key", "abc-2");
        post(api, "/api/cato/query", "{\"query\":\"one\"}", headers);

        ApiResponse response = post(api, "/api/cato/query", "{\"query\":\"two\"}", headers);

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.bodyText()).contains("idempotency_key_reused");
    }

    @Test
    void badRequests_getStableCodesAndWriteNothing() {
        CatoApi api = cato.api(List.of(answering("shadow", "x")), List.of("shadow"));
        Map<String, Integer> cases = Map.of(
                "{not json", 400, "[1,2]", 400, "{\"session_id\":\"s\"}", 400, "{\"query\":\"  \",\"session_id\":\"s\"}", 400,
                "{\"query\":42,\"session_id\":\"s\"}", 400, "{\"query\":\"q\",\"session_id\":\"bad id!\"}", 400,
                "{\"query\":\"q\",\"session_id\":\"s\",\"max_tokens\":\"many\"}", 400);
        cases.forEach((body, status) -> {
            ApiResponse response = post(api, "/api/cato/query", body, Map.of("idempotency-key", "k-" + body.hashCode()));
            assertThat(response.status()).as(body).isEqualTo(status);
            assertThat(response.bodyText()).as(body).matches("\\{\"error\":\\{\"code\":\"[a-z_]+\",\"message\":\".+\","
                    + "\"type\":\"invalid_request_error\",\"param\":(null|\"[a-z_.\\[\\]0-9]+\")}}");
        });
        assertThat(modelCalls.get()).isZero();
        assertThat(cato.sessions.latest("default#s", 10)).isEmpty();
    }

    @Test
    void adminRoutes_needTheBearerToken() {
        CatoApi api = cato.api(List.of(), List.of());
        ApiResponse none = api.handle(ApiRequest.of("GET", "/api/admin/cato/status", Map.of(), null));
        ApiResponse wrong = api.handle(ApiRequest.of("GET", "/api/admin/cato/status",
                Map.of("authorization", "Bearer nope"), null));
        ApiResponse right = api.handle(ApiRequest.of("GET", "/api/admin/cato/status",
                Map.of("authorization", "Bearer " + InMemoryCato.ADMIN_TOKEN), null));

        assertThat(none.bodyText()).contains("missing_credentials");
        assertThat(wrong.bodyText()).contains("invalid_credentials");
        assertThat(List.of(none.status(), wrong.status(), right.status())).containsExactly(401, 401, 200);
        assertThat(right.bodyText()).contains("\"rollout\":{\"percentage\":100}");
    }

    @Test
    void tiersWithoutEndpoint_areLeftOutAndMemoryClosesTheChain() {
        Tiers tiers = new Tiers(List.of(answering("shadow", "x")), List.of("shadow", "missing"));
        assertThat(tiers.chain()).extracting(Tier::name).containsExactly("shadow", "memory");
    }
}
