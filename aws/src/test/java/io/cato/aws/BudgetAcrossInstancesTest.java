package io.cato.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cato.api.ApiRequest;
import io.cato.api.ApiResponse;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two Cato instances, as two Lambda environments, wired as in production over one budgets table in DynamoDB Local:
 * a tenant's dollar budget holds across both under 200 concurrent requests.
 */
class BudgetAcrossInstancesTest {
    private static final DynamoDbLocal DYNAMO = new DynamoDbLocal();
    /**
     * "hi" is estimated at 5 prompt tokens and answered in at most 10: reserved at 5 x $0.001 + 10 x $0.002 = $0.025.
     * The stub reports exactly that usage, so each call costs what it reserved, and $0.25 pays for 10 calls.
     */
    private static final String CONFIG = """
            {"tiers": [
              {"name": "sonnet", "provider": "openai", "model_id": "sonnet", "base_url": "%s",
               "price_input_per_1k": 1.0, "price_output_per_1k": 2.0, "max_output_tokens": 10},
              {"name": "memory", "provider": "memory", "model_id": "memory",
               "context_window": 32000, "history_budget": 16000, "max_output_tokens": 1000}],
             "fallback_chain": ["sonnet", "memory"],
             "budgets": {"defaults": {"tenant": {"usd_per_day": 0.25}}, "prompt_margin": 1.0}}
            """;
    /** Stays within one day: the budget is a day's. */
    private final MutableClock clock = MutableClock.atTheStartOfAMinute();
    private final OpenAiStub sonnet = new OpenAiStub().answering("from sonnet").model("sonnet")
            .reportingUsage(5, 10, 0);

    @AfterEach
    void stopStub() {
        sonnet.close();
    }

    @AfterAll
    static void stop() {
        DYNAMO.close();
    }

    private CatoApi instance(Settings settings) {
        return new DynamoDbComponents(settings, DYNAMO.client(), Json.newMapper(), clock)
                .api(new FixedRolloutFlag(100), ModelClients.httpClient(false, 1), DynamoDbComponents.Extras.NONE);
    }

    @Test
    void twoHundredConcurrentRequests_overTwoInstances_makeAtMostTheTenCallsTheBudgetPaysFor() throws Exception {
        Settings.Tables tables = DYNAMO.freshTables();
        Settings settings = new SettingsLoader(Map.of("CATO_CONFIG_JSON", CONFIG.formatted(sonnet.baseUrl()),
                "CATO_SESSIONS_TABLE", tables.sessions(), "CATO_IDEMPOTENCY_TABLE", tables.idempotency(),
                "CATO_BREAKERS_TABLE", tables.breakers(), "CATO_BUDGETS_TABLE", tables.budgets()))
                .load(Optional.empty());
        List<CatoApi> instances = List.of(instance(settings), instance(settings));
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ApiResponse>> pending = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 200; i++) {
                CatoApi api = instances.get(i % 2);
                pending.add(pool.submit(() -> {
                    start.await();
                    return api.handle(ApiRequest.json("POST", "/api/cato/query", Map.of("x-cato-tenant", "acme"),
                            "{\"query\":\"hi\",\"max_tokens\":10}"));
                }));
            }
            start.countDown();
        }
        List<ApiResponse> responses = new ArrayList<>();
        for (Future<ApiResponse> f : pending) {
            responses.add(f.get());
        }

        assertThat(sonnet.calls()).isLessThanOrEqualTo(10);
        // Each call costs exactly its reservation, so no refusal comes early: the budget buys all ten.
        assertThat(sonnet.calls()).isEqualTo(10);
        assertThat(responses).filteredOn(r -> r.status() == 200)
                .allSatisfy(r -> assertThat(json(r).path("routing").path("tier").asText()).isEqualTo("sonnet"))
                .hasSize(10);
        assertThat(responses).filteredOn(r -> r.status() != 200).hasSize(190).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(402);
            assertThat(json(r).path("error").path("code").asText()).isEqualTo("budget_exceeded");
            assertThat(r.headers()).containsKey("retry-after").containsEntry("x-should-retry", "false");
        });
    }

    private static JsonNode json(ApiResponse response) {
        try {
            return Json.newMapper().readTree(response.bodyText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
