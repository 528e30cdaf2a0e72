package io.cato.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cato.config.Json;
import io.cato.dependency.DependencyUnavailableException;
import io.cato.model.ModelCallException;
import io.cato.model.ModelFailure;
import io.cato.model.ModelReply;
import io.cato.model.Provider;
import io.cato.model.TierConfig;
import io.cato.model.TokenUsage;
import io.cato.model.OpenAiCompatibleModelClient;
import io.cato.routing.Tier;
import io.cato.session.InMemorySessionStore;
import io.cato.session.SessionStore;
import io.cato.session.Turn;
import io.cato.session.TurnDraft;
import io.cato.testing.InMemoryCato;
import io.cato.session.Verdict;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The answer path never loses a paid answer, never replays a wrong one, and reads numbers and methods strictly. */
class AnswerPathSafetyTest {
    private final AtomicInteger modelCalls = new AtomicInteger();

    private static TierConfig tier(String name) {
        return TierConfig.builder().name(name).provider(Provider.OPENAI).modelId(name + "-model")
                .baseUrl(Optional.of("http://unused")).prices(TierConfig.Prices.FREE).timeout(Duration.ofSeconds(5))
                .contextWindow(8192).historyBudget(4096).maxOutputTokens(512).build();
    }

    private Tier answering(String name, String text) {
        return new Tier(tier(name), request -> {
            modelCalls.incrementAndGet();
            return new ModelReply(text, name + "-model", new TokenUsage(10, 5, 0));
        });
    }

    private static ApiResponse post(CatoApi api, String path, String body, Map<String, String> headers) {
        return api.handle(ApiRequest.json("POST", path, headers, body));
    }

    private static JsonNode json(ApiResponse response) throws Exception {
        return Json.newMapper().readTree(response.bodyText());
    }

    /** A session store that reads but cannot write, as DynamoDB refusing an item over its size limit. */
    private static final class RefusingWrites implements SessionStore {
        private final InMemorySessionStore reads = new InMemorySessionStore();

        @Override
        public List<Turn> latest(String sessionKey, int limit) {
            return reads.latest(sessionKey, limit);
        }

        @Override
        public Turn append(String sessionKey, TurnDraft draft) {
            throw new DependencyUnavailableException("sessions", new IllegalArgumentException("item too large"));
        }

        @Override
        public boolean recordVerdict(String sessionKey, long seq, Verdict verdict) {
            return false;
        }
    }

    @Test
    void aTurnThatCannotBeRecorded_stillAnswersWithThePaidAnswer_andCallsNoOtherTier() throws Exception {
        CatoApi api = new InMemoryCato(new RefusingWrites()).api(
                List.of(answering("sonnet", "The answer."), answering("haiku", "Another answer.")),
                List.of("sonnet", "haiku"));

        ApiResponse response = post(api, "/api/cato/query", "{\"query\":\"q\",\"session_id\":\"s\"}", Map.of());

        assertThat(response.status()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.path("response").asText()).isEqualTo("The answer.");
        assertThat(body.path("recorded").asBoolean(true)).isFalse();
        assertThat(modelCalls).hasValue(1);
    }

    @Test
    void aQuestionTooLargeForItsSession_isRejectedBeforeAnyModelCall_butNotWhenStateless() throws Exception {
        CatoApi api = new InMemoryCato().api(List.of(answering("shadow", "ok")), List.of("shadow"));
        // 70,000 characters: within the query API's character limit, but 140 KB once encoded, past what a session keeps.
        String large = "\u00e9".repeat(70_000);

        ApiResponse withSession = post(api, "/api/cato/query",
                "{\"query\":\"" + large + "\",\"session_id\":\"s\"}", Map.of());
        assertThat(withSession.status()).isEqualTo(413);
        assertThat(json(withSession).path("error").path("code").asText()).isEqualTo("query_too_large");
        assertThat(modelCalls).hasValue(0);

        ApiResponse stateless = post(api, "/v1/chat/completions",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"" + large + "\"}]}", Map.of());
        assertThat(stateless.status()).isEqualTo(200);
    }

    @Test
    void theSameKeyOnATrailingSlashPath_isTheSameOperation_andIsReplayed() throws Exception {
        CatoApi api = new InMemoryCato().api(List.of(answering("shadow", "once")), List.of("shadow"));
        String body = "{\"query\":\"Plan the launch\",\"session_id\":\"s\"}";

        ApiResponse first = post(api, "/api/cato/query", body, Map.of("idempotency-key", "k-1"));
        ApiResponse slashed = post(api, "/api/cato/query/", body, Map.of("idempotency-key", "k-1"));
        ApiResponse doubled = post(api, "/api/cato/query//", body, Map.of("idempotency-key", "k-1"));

        assertThat(slashed.headers()).containsEntry("idempotent-replayed", "true");
        assertThat(slashed.bodyText()).isEqualTo(first.bodyText());
        assertThat(doubled.bodyText()).isEqualTo(first.bodyText());
        assertThat(modelCalls).hasValue(1);
    }

    @Test
    void aDegradedAnswerGivenDuringAnOutage_isNotReplayedOnceTheModelIsBack() throws Exception {
        AtomicBoolean down = new AtomicBoolean(true);
        Tier flaky = new Tier(tier("shadow"), request -> {
            modelCalls.incrementAndGet();
            if (down.get()) {
                throw new ModelCallException("shadow", new ModelFailure.Unavailable("HTTP 503"));
            }
            return new ModelReply("The real answer.", "shadow-model", new TokenUsage(10, 5, 0));
        });
        CatoApi api = new InMemoryCato().api(List.of(flaky), List.of("shadow"));
        String body = "{\"query\":\"What is our refund policy?\"}";

        JsonNode duringOutage = json(post(api, "/api/cato/query", body, Map.of("idempotency-key", "k-2")));
        down.set(false);
        ApiResponse afterRecovery = post(api, "/api/cato/query", body, Map.of("idempotency-key", "k-2"));
        ApiResponse repeated = post(api, "/api/cato/query", body, Map.of("idempotency-key", "k-2"));

        assertThat(duringOutage.path("model").asText()).isEqualTo("memory");
        assertThat(afterRecovery.headers()).doesNotContainKey("idempotent-replayed");
        assertThat(json(afterRecovery).path("response").asText()).isEqualTo("The real answer.");
        assertThat(repeated.headers()).containsEntry("idempotent-replayed", "true");
        assertThat(modelCalls).hasValue(2);
    }

    @Test
    void aLegacyEndpointThatIsDown_isA502OnBothApis() throws Exception {
        URI closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/v1");
        }
        HttpClient http = HttpClient.newHttpClient();
        TierConfig legacyTier = TierConfig.builder().name("legacy").provider(Provider.OPENAI).modelId("gpt-4o-mini")
                .baseUrl(Optional.of(closed.toString())).prices(TierConfig.Prices.FREE).timeout(Duration.ofSeconds(2))
                .contextWindow(128_000).historyBudget(0).maxOutputTokens(4096).build();
        LegacyRoute legacy = new LegacyRoute(closed, Optional.empty(), http, Duration.ofSeconds(2),
                new OpenAiCompatibleModelClient(legacyTier, http, Json.newMapper()));
        CatoApi api = new InMemoryCato().api(List.of(answering("shadow", "ok")), List.of("shadow"), 0,
                Optional.of(legacy));

        ApiResponse query = post(api, "/api/cato/query", "{\"query\":\"Hello\"}", Map.of());
        ApiResponse chat = post(api, "/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}",
                Map.of());

        assertThat(query.status()).isEqualTo(502);
        assertThat(json(query).path("error").path("code").asText()).isEqualTo("legacy_unavailable");
        assertThat(chat.status()).isEqualTo(502);
    }

    @Test
    void verification_withoutAVerifierDeployed_saysSo_forEveryAnswer() throws Exception {
        CatoApi api = new InMemoryCato().api(List.of(answering("shadow", "ok")), List.of("shadow"));

        JsonNode inSession = json(post(api, "/api/cato/query", "{\"query\":\"Hello\",\"session_id\":\"v\"}", Map.of()));
        JsonNode stateless = json(post(api, "/api/cato/query", "{\"query\":\"Hello there\"}", Map.of()));

        // With a verifier deployed the status is "pending" (VerificationStatusTest, on the embedded default).
        assertThat(inSession.path("verification").path("status").asText()).isEqualTo("not_configured");
        assertThat(stateless.path("verification").path("status").asText()).isEqualTo("not_configured");
    }

    @Test
    void numbersPast64Bits_areRejected_notWrappedIntoRange() throws Exception {
        CatoApi api = new InMemoryCato().api(List.of(answering("shadow", "ok")), List.of("shadow"));

        ApiResponse query = post(api, "/api/cato/query",
                "{\"query\":\"Hello\",\"max_tokens\":18446744073709551621}", Map.of());
        ApiResponse chat = post(api, "/v1/chat/completions",
                "{\"max_tokens\":18446744073709551621,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}", Map.of());

        assertThat(query.status()).isEqualTo(400);
        assertThat(chat.status()).isEqualTo(400);
        assertThat(modelCalls).hasValue(0);
    }

    @Test
    void methodsAreCaseSensitive_soALowercasePostIsNotServed() throws Exception {
        CatoApi api = new InMemoryCato().api(List.of(answering("shadow", "ok")), List.of("shadow"));

        ApiResponse response = api.handle(ApiRequest.json("post", "/api/cato/query", Map.of(), "{\"query\":\"Hello\"}"));

        assertThat(response.status()).isEqualTo(405);
        assertThat(modelCalls).hasValue(0);
    }
}
