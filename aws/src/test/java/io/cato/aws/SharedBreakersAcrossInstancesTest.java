package io.cato.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cato.api.ApiRequest;
import io.cato.api.CatoApi;
import io.cato.config.Json;
import io.cato.aws.testing.DynamoDbLocal;
import io.cato.config.Settings;
import io.cato.config.SettingsLoader;
import io.cato.rollout.FixedRolloutFlag;
import io.cato.testing.MutableClock;
import io.cato.testing.OpenAiStub;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two Cato instances, as in two Lambda environments, wired as in production and sharing one
 * breaker table in DynamoDB Local: what one sees failing, the other stops calling.
 */
class SharedBreakersAcrossInstancesTest {
    private static final DynamoDbLocal DYNAMO = new DynamoDbLocal();
    private static final String ADMIN_TOKEN = "breaker-admin";
    private final OpenAiStub sonnet = new OpenAiStub().answering("from sonnet").model("sonnet");
    private final OpenAiStub haiku = new OpenAiStub().answering("from haiku").model("haiku");
    private final MutableClock clock = new MutableClock();
    private Settings settings;

    @BeforeEach
    void configure() {
        Settings.Tables tables = DYNAMO.freshTables();
        String tiers = """
                {"tiers": [
                  {"name": "bedrock_sonnet", "provider": "openai", "model_id": "sonnet", "base_url": "%s"},
                  {"name": "bedrock_haiku", "provider": "openai", "model_id": "haiku", "base_url": "%s"},
                  {"name": "memory", "provider": "memory", "model_id": "memory",
                   "context_window": 32000, "history_budget": 16000, "max_output_tokens": 1000}],
                 "fallback_chain": ["bedrock_sonnet", "bedrock_haiku", "memory"]}
                """.formatted(sonnet.baseUrl(), haiku.baseUrl());
        settings = new SettingsLoader(Map.of("CATO_CONFIG_JSON", tiers, "CATO_ADMIN_TOKEN", ADMIN_TOKEN,
                "CATO_SESSIONS_TABLE", tables.sessions(), "CATO_IDEMPOTENCY_TABLE", tables.idempotency(),
                "CATO_BREAKERS_TABLE", tables.breakers())).load(Optional.empty());
    }

    @AfterEach
    void stopStubs() {
        sonnet.close();
        haiku.close();
    }

    @AfterAll
    static void stop() {
        DYNAMO.close();
    }

    private CatoApi instance() {
        return new DynamoDbComponents(settings, DYNAMO.client(), Json.newMapper(), clock)
                .api(new FixedRolloutFlag(100), ModelClients.httpClient(false, 1), DynamoDbComponents.Extras.NONE);
    }

    private static JsonNode hello(CatoApi api) {
        return json(api.handle(ApiRequest.json("POST", "/api/cato/query", Map.of(), "{\"query\":\"Hello\"}")).bodyText());
    }

    private static JsonNode admin(CatoApi api, String what) {
        return json(api.handle(ApiRequest.of("GET", "/api/admin/cato/" + what,
                Map.of("authorization", "Bearer " + ADMIN_TOKEN), null)).bodyText());
    }

    private static JsonNode json(String body) {
        try {
            return Json.newMapper().readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void failuresSeenByOneInstance_openTheBreakerForTheOther_andOneProbeClosesItAfterTheWait() throws Exception {
        CatoApi first = instance();
        CatoApi second = instance();
        sonnet.failingWith(503);
        for (int i = 0; i < 5; i++) {
            assertThat(hello(first).path("routing").path("tier").asText()).isEqualTo("bedrock_haiku");
        }

        clock.advance(settings.breaker().localCacheTtl());
        JsonNode fromSecond = hello(second);

        assertThat(sonnet.calls()).as("the second instance never called sonnet").isEqualTo(5);
        assertThat(fromSecond.path("routing").path("tier").asText()).isEqualTo("bedrock_haiku");
        assertThat(fromSecond.path("routing").path("reason").asText()).isEqualTo("circuit_open");
        assertThat(fromSecond.path("routing").path("fallback_from").asText()).isEqualTo("bedrock_sonnet");
        assertThat(admin(second, "health").path("breakers").path("bedrock_sonnet").path("state").asText())
                .isEqualTo("open");
        assertThat(admin(second, "status").path("open_breakers")).extracting(JsonNode::asText)
                .containsExactly("bedrock_sonnet");

        sonnet.failingWith(0).delay(Duration.ofMillis(500));
        clock.advance(settings.breaker().waitInOpen());
        CompletableFuture<JsonNode> probe = CompletableFuture.supplyAsync(() -> hello(second));
        awaitCalls(sonnet, 6);
        JsonNode whileProbing = hello(first);
        JsonNode probed = probe.get();

        assertThat(whileProbing.path("routing").path("tier").asText()).isEqualTo("bedrock_haiku");
        assertThat(probed.path("routing").path("tier").asText()).isEqualTo("bedrock_sonnet");
        assertThat(sonnet.calls()).as("exactly one probe reached sonnet").isEqualTo(6);
        clock.advance(settings.breaker().localCacheTtl());
        assertThat(hello(first).path("routing").path("tier").asText()).isEqualTo("bedrock_sonnet");
        assertThat(admin(first, "status").path("open_breakers")).isEmpty();
        assertThat(admin(first, "health").path("breakers").path("bedrock_sonnet").path("state").asText())
                .isEqualTo("closed");
    }

    @Test
    void countsFromBothInstances_addUpToTheMinimumNumberOfCalls() {
        CatoApi first = instance();
        CatoApi second = instance();
        sonnet.failingWith(500); // not retried, so each request is one call to the stub
        for (int i = 0; i < 5; i++) {
            hello(i % 2 == 0 ? first : second);
        }

        clock.advance(settings.breaker().localCacheTtl());
        hello(first);
        hello(second);

        assertThat(sonnet.calls()).isEqualTo(5);
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
