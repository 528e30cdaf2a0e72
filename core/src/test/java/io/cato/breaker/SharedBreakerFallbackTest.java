package io.cato.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cato.api.ApiRequest;
import io.cato.api.ApiResponse;
import io.cato.api.CatoApi;
import io.cato.config.Json;
import io.cato.model.OpenAiCompatibleModelClient;
import io.cato.model.Provider;
import io.cato.model.TierConfig;
import io.cato.routing.Tier;
import io.cato.testing.InMemoryCato;
import io.cato.testing.MutableClock;
import io.cato.testing.OpenAiStub;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The acceptance: breakers shared by all instances, with the fallback chain Sonnet, Haiku, memory. */
class SharedBreakerFallbackTest {
    private static final List<String> CHAIN = List.of("bedrock_sonnet", "bedrock_haiku", "memory");
    private final OpenAiStub sonnet = new OpenAiStub().answering("from sonnet").model("sonnet");
    private final OpenAiStub haiku = new OpenAiStub().answering("from haiku").model("haiku");
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final MutableClock clock = new MutableClock();
    private final BreakerPolicy policy = BreakerPolicy.defaults();
    private final BreakerStore sharedStore = new InMemoryBreakerStore();

    @AfterEach
    void stopStubs() {
        sonnet.close();
        haiku.close();
    }

    private Tier tier(String name, OpenAiStub stub) {
        TierConfig config = TierConfig.builder().name(name).provider(Provider.OPENAI).modelId(name + "-id")
                .baseUrl(Optional.of(stub.baseUrl().toString())).prices(TierConfig.Prices.FREE)
                .timeout(Duration.ofSeconds(5)).contextWindow(8192).historyBudget(4096).maxOutputTokens(512).build();
        return new Tier(config, new OpenAiCompatibleModelClient(config, http, Json.newMapper()));
    }

    /** One Cato instance, as in one Lambda environment, sharing the breaker store with the others. */
    private CatoApi instance() {
        return new InMemoryCato(sharedStore, policy, clock)
                .api(List.of(tier("bedrock_sonnet", sonnet), tier("bedrock_haiku", haiku)), CHAIN);
    }

    private static JsonNode hello(CatoApi api) {
        return json(api.handle(ApiRequest.json("POST", "/api/cato/query", Map.of(), "{\"query\":\"Hello\"}")));
    }

    private static JsonNode admin(CatoApi api, String what) {
        return json(api.handle(ApiRequest.of("GET", "/api/admin/cato/" + what,
                Map.of("authorization", "Bearer " + InMemoryCato.ADMIN_TOKEN), null)));
    }

    private static JsonNode json(ApiResponse response) {
        try {
            return Json.newMapper().readTree(response.bodyText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void fiveSonnetFailures_openItsBreaker_andHelloIsServedByHaikuWithoutCallingSonnet() {
        CatoApi api = instance();
        sonnet.failingWith(503);
        for (int i = 0; i < 5; i++) {
            assertThat(hello(api).path("routing").path("tier").asText()).isEqualTo("bedrock_haiku");
        }
        assertThat(sonnet.calls()).isEqualTo(5);

        JsonNode answer = hello(api);

        assertThat(sonnet.calls()).isEqualTo(5);
        assertThat(answer.path("response").asText()).isEqualTo("from haiku");
        assertThat(answer.path("routing").path("tier").asText()).isEqualTo("bedrock_haiku");
        assertThat(answer.path("routing").path("fallback_from").asText()).isEqualTo("bedrock_sonnet");
        assertThat(answer.path("routing").path("reason").asText()).isEqualTo("circuit_open");
    }

    @Test
    void openBreaker_isReportedByHealthAndStatus() {
        CatoApi api = instance();
        sonnet.failingWith(429);
        for (int i = 0; i < 6; i++) {
            hello(api);
        }

        JsonNode health = admin(api, "health");
        JsonNode status = admin(api, "status");

        assertThat(health.path("breakers").path("bedrock_sonnet").path("state").asText()).isEqualTo("open");
        assertThat(health.path("breakers").path("bedrock_sonnet").path("window_failures").asLong()).isEqualTo(5);
        assertThat(health.path("breakers").path("bedrock_haiku").path("state").asText()).isEqualTo("closed");
        assertThat(health.path("breakers").has("memory")).isFalse();
        assertThat(status.path("open_breakers")).extracting(JsonNode::asText).containsExactly("bedrock_sonnet");
        assertThat(status.path("tiers").path("bedrock_sonnet").path("skipped_circuit_open").asLong()).isEqualTo(1);
        assertThat(status.path("tiers").path("bedrock_sonnet").path("calls").asLong()).isEqualTo(5);
    }

    @Test
    void streamedChat_whileSonnetsCircuitIsOpen_streamsFromHaiku() {
        CatoApi api = instance();
        sonnet.failingWith(503);
        for (int i = 0; i < 5; i++) {
            hello(api);
        }

        ApiResponse streamed = api.handle(ApiRequest.json("POST", "/v1/chat/completions", Map.of(),
                "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}"));

        assertThat(new String(streamed.bodyBytes(), StandardCharsets.UTF_8)).contains("\"content\":\"haiku\"",
                "\"tier\":\"bedrock_haiku\"", "\"reason\":\"circuit_open\"");
        assertThat(sonnet.calls()).isEqualTo(5);
    }

    @Test
    void twoInstances_shareTheBreaker_andAfterTheWaitOneProbeClosesIt() throws Exception {
        CatoApi first = instance();
        CatoApi second = instance();
        sonnet.failingWith(503);
        hello(second);
        for (int i = 0; i < 4; i++) {
            hello(first);
        }
        assertThat(sonnet.calls()).as("failures seen by both instances add up").isEqualTo(5);

        clock.advance(policy.localCacheTtl());
        JsonNode fromSecond = hello(second);
        assertThat(fromSecond.path("routing").path("reason").asText()).isEqualTo("circuit_open");
        assertThat(sonnet.calls()).isEqualTo(5);

        sonnet.failingWith(0).delay(Duration.ofMillis(500));
        clock.advance(policy.waitInOpen());
        CompletableFuture<JsonNode> probe = CompletableFuture.supplyAsync(() -> hello(first));
        awaitCalls(sonnet, 6);
        JsonNode whileProbing = hello(second);
        JsonNode probed = probe.get();

        assertThat(whileProbing.path("routing").path("tier").asText()).isEqualTo("bedrock_haiku");
        assertThat(probed.path("routing").path("tier").asText()).isEqualTo("bedrock_sonnet");
        assertThat(sonnet.calls()).as("exactly one probe reached sonnet").isEqualTo(6);
        clock.advance(policy.localCacheTtl());
        assertThat(hello(second).path("routing").path("tier").asText()).isEqualTo("bedrock_sonnet");
        assertThat(sharedStore.read("bedrock_sonnet").state()).isEqualTo(BreakerState.CLOSED);
    }

    private static void awaitCalls(OpenAiStub stub, int calls) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (stub.calls() < calls) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the stub saw " + stub.calls() + " calls, expected " + calls);
            }
            Thread.sleep(10);
        }
    }
}
