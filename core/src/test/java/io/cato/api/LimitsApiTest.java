package io.cato.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cato.budget.BudgetSettings;
import io.cato.budget.BudgetStore;
import io.cato.budget.Budgets;
import io.cato.budget.InMemoryBudgetStore;
import io.cato.config.Json;
import io.cato.model.ModelReply;
import io.cato.model.Provider;
import io.cato.model.TierConfig;
import io.cato.model.TokenUsage;
import io.cato.routing.Tier;
import io.cato.status.MetricsSink;
import io.cato.testing.InMemoryCato;
import io.cato.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Limits as callers meet them through the API: refusals, their codes and headers, and the admin endpoint. */
class LimitsApiTest {
    /** A call of "hi" (5 prompt tokens as estimated) answered in 10 tokens: $0.005 + $0.020, as reserved. */
    private static final String HI = "{\"query\":\"hi\",\"max_tokens\":10}";
    private static final Map<String, String> ADMIN = Map.of("authorization", "Bearer " + InMemoryCato.ADMIN_TOKEN);

    private final BudgetStore store = new InMemoryBudgetStore();
    // Every instance's limits on one clock that stays within one minute and one day.
    private final MutableClock clock = MutableClock.atTheStartOfAMinute();
    private final AtomicInteger modelCalls = new AtomicInteger();
    private final AtomicInteger cheapCalls = new AtomicInteger();

    private static TierConfig tier(String name, double in, double out) {
        return TierConfig.builder().name(name).provider(Provider.OPENAI).modelId(name + "-model")
                .baseUrl(Optional.of("http://unused")).prices(new TierConfig.Prices(in, out, in / 10, in))
                .timeout(Duration.ofSeconds(5)).contextWindow(8192).historyBudget(4096).maxOutputTokens(10).build();
    }

    private Tier sonnet() {
        return new Tier(tier("sonnet", 1.0, 2.0), request -> {
            modelCalls.incrementAndGet();
            return new ModelReply("from sonnet", "sonnet-model", new TokenUsage(5, 10, 0));
        });
    }

    private Tier cheap() {
        return new Tier(tier("cheap", 0.1, 0.1), request -> {
            cheapCalls.incrementAndGet();
            return new ModelReply("from cheap", "cheap-model", new TokenUsage(5, 10, 0));
        });
    }

    private CatoApi instance(String budgetsJson) {
        BudgetSettings settings = BudgetSettings.fromJson(json(budgetsJson));
        return new InMemoryCato().api(List.of(sonnet(), cheap()), List.of("sonnet", "cheap", "memory"),
                new Budgets(settings, store, clock, MetricsSink.NONE));
    }

    private static JsonNode json(String text) {
        try {
            return Json.newMapper().readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static ApiResponse query(CatoApi api, String body, Map<String, String> headers) {
        Map<String, String> all = new HashMap<>(Map.of("x-cato-tenant", "acme"));
        all.putAll(headers);
        return api.handle(ApiRequest.json("POST", "/api/cato/query", all, body));
    }

    private static ApiResponse chat(CatoApi api, String body) {
        return api.handle(ApiRequest.json("POST", "/v1/chat/completions", Map.of("x-cato-tenant", "acme"), body));
    }

    @Test
    void twoHundredConcurrentRequests_overTwoInstances_makeOnlyTheTenCallsTheBudgetAllows() throws Exception {
        String budget = "{\"defaults\": {\"tenant\": {\"usd_per_day\": 0.25}}, \"prompt_margin\": 1.0}";
        List<CatoApi> instances = List.of(instance(budget), instance(budget));
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ApiResponse>> responses = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 200; i++) {
                CatoApi api = instances.get(i % 2);
                responses.add(pool.submit(() -> {
                    start.await();
                    return query(api, HI, Map.of());
                }));
            }
            start.countDown();
        }
        List<ApiResponse> done = new ArrayList<>();
        for (Future<ApiResponse> f : responses) {
            done.add(f.get());
        }

        assertThat(modelCalls.get()).isEqualTo(10);
        assertThat(done).filteredOn(r -> r.status() == 200).hasSize(10);
        assertThat(done).filteredOn(r -> r.status() != 200).hasSize(190).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(402);
            assertThat(json(r.bodyText()).path("error").path("code").asText()).isEqualTo("budget_exceeded");
            assertThat(Long.parseLong(r.headers().get("retry-after"))).isBetween(1L, 86_400L);
            assertThat(r.headers()).containsEntry("x-should-retry", "false");
        });
    }

    @Test
    void requestsPerMinute_answerWithOpenAisHeaders_andRefuseWith429RateLimited() {
        CatoApi api = instance("{\"defaults\": {\"tenant\": {\"requests_per_minute\": 2, \"tokens_per_minute\": 1000}}}");

        ApiResponse first = query(api, HI, Map.of());
        ApiResponse second = query(api, HI, Map.of());
        ApiResponse third = query(api, HI, Map.of());

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.headers()).containsEntry("x-ratelimit-limit-requests", "2")
                .containsEntry("x-ratelimit-remaining-requests", "1")
                .containsEntry("x-ratelimit-limit-tokens", "1000")
                .containsKeys("x-ratelimit-reset-requests", "x-ratelimit-remaining-tokens", "x-ratelimit-reset-tokens");
        assertThat(first.headers().get("x-ratelimit-reset-requests")).matches("(\\d+ms|\\d+(\\.\\d+)?s)");
        assertThat(second.headers()).containsEntry("x-ratelimit-remaining-requests", "0");
        assertThat(third.status()).isEqualTo(429);
        assertThat(json(third.bodyText()).path("error").path("code").asText()).isEqualTo("rate_limited");
        assertThat(third.headers()).containsEntry("x-ratelimit-remaining-requests", "0").containsKey("retry-after")
                .doesNotContainKey("x-should-retry");
        assertThat(Long.parseLong(third.headers().get("retry-after"))).isBetween(1L, 60L);
        assertThat(modelCalls.get()).isEqualTo(2);
    }

    @Test
    void aStreamedRequestOverItsLimit_isRefusedWithAStatus_beforeAnyStreamOpens() {
        CatoApi api = instance("{\"defaults\": {\"tenant\": {\"usd_per_day\": 0.025}}, \"prompt_margin\": 1.0}");
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":10,\"stream\":true}";
        assertThat(chat(api, body).bodyText()).contains("from sonnet");

        ApiResponse refused = chat(api, body);

        assertThat(refused.status()).isEqualTo(402);
        assertThat(refused.streaming()).isFalse();
        assertThat(modelCalls.get()).isEqualTo(1);
    }

    @Test
    void aCallWhoseEstimateNoLongerFits_isRefusedByItsReservation_as402OrAsTheStreamsErrorEvent() {
        // $0.03 a day: the first call ($0.025) leaves $0.005, room for a request but not for the next call's estimate.
        CatoApi api = instance("{\"defaults\": {\"tenant\": {\"usd_per_day\": 0.03}}, \"prompt_margin\": 1.0}");
        query(api, HI, Map.of());

        ApiResponse whole = query(api, HI, Map.of());
        String streamed = chat(api, "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":10,"
                + "\"stream\":true}").bodyText();

        assertThat(whole.status()).isEqualTo(402);
        assertThat(streamed).contains("\"code\":\"budget_exceeded\"").doesNotContain("from sonnet");
        assertThat(modelCalls.get()).isEqualTo(1);
    }

    @Test
    void aSpentBudgetWithADowngradePolicy_isAnsweredByTheCheaperTier() {
        CatoApi api = instance("{\"defaults\": {\"tenant\": {\"usd_per_day\": 0.025, \"over_budget\": \"downgrade:cheap\"}},"
                + " \"prompt_margin\": 1.0}");
        query(api, HI, Map.of());

        JsonNode downgraded = json(query(api, HI, Map.of()).bodyText());

        assertThat(downgraded.path("routing").path("tier").asText()).isEqualTo("cheap");
        assertThat(downgraded.path("routing").path("reason").asText()).isEqualTo("over_budget_downgrade");
        assertThat(modelCalls.get()).isEqualTo(1);
        assertThat(cheapCalls.get()).isEqualTo(1);
    }

    @Test
    void aSpentBudgetsDowngrade_neverAnswersWithoutWhatTheRequestNeeds() {
        BudgetSettings settings = BudgetSettings.fromJson(json("{\"defaults\": {\"tenant\": {\"usd_per_day\": 0.025,"
                + " \"over_budget\": \"downgrade:cheap\"}}, \"prompt_margin\": 1.0}"));
        Tier textOnly = new Tier(TierConfig.builder().name("cheap").provider(Provider.OPENAI).modelId("cheap-model")
                .baseUrl(Optional.of("http://unused")).prices(new TierConfig.Prices(0.1, 0.1, 0.01, 0.1))
                .timeout(Duration.ofSeconds(5)).contextWindow(8192).historyBudget(4096).maxOutputTokens(10)
                .capabilities(java.util.Set.of()).build(), request -> {
                    cheapCalls.incrementAndGet();
                    return new ModelReply("from cheap", "cheap-model", new TokenUsage(5, 10, 0));
                });
        CatoApi api = new InMemoryCato().api(List.of(sonnet(), textOnly), List.of("sonnet", "cheap", "memory"),
                new Budgets(settings, store, clock, MetricsSink.NONE));
        query(api, HI, Map.of());

        ApiResponse withTools = chat(api, "{\"messages\":[{\"role\":\"user\",\"content\":\"weather?\"}],"
                + "\"max_tokens\":10,\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"weather\","
                + "\"parameters\":{\"type\":\"object\"}}}]}");
        ApiResponse plain = query(api, HI, Map.of());

        assertThat(withTools.status()).as(withTools.bodyText()).isEqualTo(402);
        assertThat(json(withTools.bodyText()).path("error").path("code").asText()).isEqualTo("budget_exceeded");
        assertThat(json(plain.bodyText()).path("routing").path("tier").asText()).isEqualTo("cheap");
        assertThat(modelCalls.get()).isEqualTo(1);
        assertThat(cheapCalls.get()).as("only the plain question went to the text-only tier").isEqualTo(1);
    }

    @Test
    void aUsersLimit_countsTheUserTheRequestNames_byHeaderOrByOpenAisUserField() {
        CatoApi api = instance("{\"defaults\": {\"user\": {\"requests_per_minute\": 1}}}");

        assertThat(query(api, HI, Map.of("x-cato-user", "alice")).status()).isEqualTo(200);
        assertThat(query(api, HI, Map.of("x-cato-user", "alice")).status()).isEqualTo(429);
        assertThat(chat(api, "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"user\":\"alice\"}").status())
                .isEqualTo(429);
        assertThat(query(api, HI, Map.of("x-cato-user", "bob")).status()).isEqualTo(200);
        assertThat(query(api, HI, Map.of()).status()).as("no user, no user limit").isEqualTo(200);
    }

    @Test
    void anApiKeysLimit_countsTheKeyByADigest_neverTheKey() {
        CatoApi api = instance("{\"keys\": {\"acme/" + Callers.digest("sk-secret") + "\": {\"requests_per_minute\": 1}}}");

        assertThat(query(api, HI, Map.of("x-api-key", "sk-secret")).status()).isEqualTo(200);
        assertThat(query(api, HI, Map.of("authorization", "Bearer sk-secret")).status()).isEqualTo(429);
        assertThat(query(api, HI, Map.of("x-api-key", "sk-other")).status()).isEqualTo(200);
    }

    @Test
    void theAdminEndpoint_setsLimitsForEveryInstance_andReadsUsage() {
        CatoApi first = instance("{\"enabled\": true, \"limits_refresh_seconds\": 0}");
        CatoApi second = instance("{\"enabled\": true, \"limits_refresh_seconds\": 0}");

        ApiResponse set = first.handle(ApiRequest.json("PUT", "/api/admin/cato/limits", ADMIN,
                "{\"tenant\":\"acme\",\"user\":\"alice\",\"limits\":{\"requests_per_minute\":1,\"usd_per_day\":0.5}}"));
        assertThat(set.status()).isEqualTo(200);
        assertThat(query(second, HI, Map.of("x-cato-user", "alice")).status()).isEqualTo(200);
        assertThat(query(second, HI, Map.of("x-cato-user", "alice")).status()).isEqualTo(429);

        JsonNode read = json(first.handle(ApiRequest.json("POST", "/api/admin/cato/limits", ADMIN,
                "{\"tenant\":\"acme\",\"user\":\"alice\"}")).bodyText());
        assertThat(read.path("scope").path("kind").asText()).isEqualTo("user");
        assertThat(read.path("limits").path("admin").path("requests_per_minute").asLong()).isEqualTo(1);
        assertThat(read.path("limits").path("effective").path("usd_per_day").decimalValue()).isEqualByComparingTo("0.5");
        assertThat(read.path("usage").path("requests_per_minute").path("used").asLong()).isEqualTo(1);
        assertThat(read.path("usage").path("usd_per_day").path("spent_usd").decimalValue()).isEqualByComparingTo("0.025");
        assertThat(read.path("usage").path("usd_per_day").path("remaining_usd").decimalValue())
                .isEqualByComparingTo("0.475");
    }

    @Test
    void theAdminEndpoint_needsTheAdminToken_andRefusesLimitsItCannotApply() {
        CatoApi api = instance("{\"enabled\": true}");
        String body = "{\"tenant\":\"acme\",\"limits\":{\"usd_per_day\":-1}}";

        assertThat(api.handle(ApiRequest.json("PUT", "/api/admin/cato/limits", Map.of(), body)).status()).isEqualTo(401);
        assertThat(api.handle(ApiRequest.json("PUT", "/api/admin/cato/limits", ADMIN, body)).status()).isEqualTo(400);
        assertThat(api.handle(ApiRequest.json("PUT", "/api/admin/cato/limits", ADMIN,
                "{\"tenant\":\"acme\",\"limits\":{\"over_budget\":\"downgrade:nowhere\"}}")).status()).isEqualTo(400);
        assertThat(api.handle(ApiRequest.json("PUT", "/api/admin/cato/limits", ADMIN,
                "{\"tenant\":\"acme\",\"limits\":{\"rpm\":5}}")).status()).isEqualTo(400);
        assertThat(api.handle(ApiRequest.json("POST", "/api/admin/cato/limits", ADMIN,
                "{\"tenant\":\"acme\",\"key_id\":\"k\",\"user\":\"u\"}")).status()).isEqualTo(400);
        assertThat(api.handle(ApiRequest.json("GET", "/api/admin/cato/limits", ADMIN, "{\"tenant\":\"acme\"}")).status())
                .isEqualTo(405);
        assertThat(instance("{}").handle(ApiRequest.json("POST", "/api/admin/cato/limits", ADMIN,
                "{\"tenant\":\"acme\"}")).status()).as("limits are off").isEqualTo(404);
    }

    @Test
    void theStatusEndpoint_showsSpendAndRefusalsPerTenant() {
        CatoApi api = instance("{\"defaults\": {\"tenant\": {\"requests_per_minute\": 1}}}");
        query(api, HI, Map.of());
        query(api, HI, Map.of());

        JsonNode budgets = json(api.handle(ApiRequest.of("GET", "/api/admin/cato/status", ADMIN, null)).bodyText())
                .path("budgets");

        assertThat(budgets.path("enabled").asBoolean()).isTrue();
        JsonNode acme = budgets.path("tenants").path("acme");
        assertThat(acme.path("requests").asLong()).isEqualTo(1);
        assertThat(acme.path("cost_usd").asDouble()).isEqualTo(0.025);
        assertThat(acme.path("rate_limited").asLong()).isEqualTo(1);
        assertThat(json(api.handle(ApiRequest.of("GET", "/api/admin/cato/status", ADMIN, null)).bodyText())
                .path("requests").path("rejected").asLong()).isEqualTo(1);
    }

    @Test
    void resetDurations_areWrittenAsOpenAiWritesThem() {
        assertThat(RateLimitHeaders.duration(Duration.ofMillis(12))).isEqualTo("12ms");
        assertThat(RateLimitHeaders.duration(Duration.ofSeconds(1))).isEqualTo("1s");
        assertThat(RateLimitHeaders.duration(Duration.ofMillis(27_500))).isEqualTo("27.5s");
        assertThat(RateLimitHeaders.duration(Duration.ofMinutes(6))).isEqualTo("6m0s");
        assertThat(RateLimitHeaders.duration(Duration.ofHours(7).plusSeconds(3))).isEqualTo("7h0m3s");
    }
}
