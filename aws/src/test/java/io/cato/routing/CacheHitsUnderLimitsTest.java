package io.cato.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.aws.metrics.PowertoolsMetricsSink;
import io.cato.aws.testing.StandardOutput;
import io.cato.budget.BudgetSettings;
import io.cato.budget.Budgets;
import io.cato.budget.InMemoryBudgetStore;
import io.cato.budget.Meter;
import io.cato.budget.RateLimitedException;
import io.cato.budget.Scope;
import io.cato.cache.CacheSettings;
import io.cato.cache.InMemoryExactCache;
import io.cato.cache.InMemoryVectorIndex;
import io.cato.cache.SemanticCache;
import io.cato.embedding.MiniLmTokenEncoder;
import io.cato.model.ModelReply;
import io.cato.model.Provider;
import io.cato.model.TierConfig;
import io.cato.model.TokenUsage;
import io.cato.session.InMemorySessionStore;
import io.cato.session.SessionKey;
import io.cato.status.ServiceStats;
import io.cato.testing.MutableClock;
import io.cato.verifier.DuplicateVerifier;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A cached answer costs nothing against a budget, but it is a request: it counts against requests per minute.
 * Spend is published per tenant, never per user.
 */
class CacheHitsUnderLimitsTest {

    @Test
    void aCacheHit_countsAsARequest_spendsNothing_andSpendIsPublishedPerTenant() throws Exception {
        var metrics = new PowertoolsMetricsSink("Cato", "cato-route", Clock.systemUTC());
        AtomicInteger calls = new AtomicInteger();
        TierConfig haiku = TierConfig.builder().name("bedrock_haiku").provider(Provider.OPENAI).modelId("haiku")
                .baseUrl(Optional.of("http://unused")).prices(new TierConfig.Prices(0.0008, 0.004, 0.00008))
                .timeout(Duration.ofSeconds(5)).contextWindow(200_000).historyBudget(16_000).maxOutputTokens(1_000)
                .build();
        Tier tier = new Tier(haiku, request -> {
            calls.incrementAndGet();
            return new ModelReply("Paris is the capital of France.", "haiku", new TokenUsage(1200, 300, 0));
        });
        var settings = BudgetSettings.fromJson(new ObjectMapper().readTree(
                "{\"defaults\": {\"tenant\": {\"requests_per_minute\": 3, \"usd_per_day\": 1}}}"));
        Budgets budgets = new Budgets(settings, new InMemoryBudgetStore(), MutableClock.atTheStartOfAMinute(), metrics);
        try (MiniLmTokenEncoder embedder = MiniLmTokenEncoder.load(1);
             InMemoryVectorIndex index = new InMemoryVectorIndex()) {
            SemanticCache cache = new SemanticCache(embedder, DuplicateVerifier.loadDefault(),
                    new InMemoryExactCache(100), index, CacheSettings.defaults(), Clock.systemUTC());
            Orchestrator orchestrator = Orchestrator.builder(new InMemorySessionStore(),
                    Router.chainOrder(new Tiers(List.of(tier), List.of("bedrock_haiku"))))
                    .stats(new ServiceStats(metrics)).budgets(budgets)
                    .limits(new Orchestrator.Limits(50, 256, 0.2, Duration.ofSeconds(5))).cache(Optional.of(cache)).build();
            String question = "What is the capital of France?";

            Answer model = orchestrator.answer(QueryCommand.simple("acme", new SessionKey("acme", "s1"), question), null);
            Answer hit = orchestrator.answer(QueryCommand.simple("acme", new SessionKey("acme", "s2"), question), null);
            orchestrator.answer(QueryCommand.simple("acme", new SessionKey("acme", "s3"), question), null);

            assertThat(hit.cached()).isTrue();
            assertThat(calls.get()).isEqualTo(1);
            var day = budgets.view(Scope.tenant("acme")).meters().stream()
                    .filter(m -> m.meter() == Meter.USD_PER_DAY).findFirst().orElseThrow();
            assertThat(day.spent()).as("the model's answer only: 1200 x $0.0008/1k + 300 x $0.004/1k")
                    .isEqualTo(2_160_000);
            assertThat(model.costUsd()).isEqualTo(0.00216);
            assertThatThrownBy(() -> orchestrator.answer(QueryCommand.simple("acme", new SessionKey("acme", "s4"),
                    question), null)).as("three requests a minute, cached or not").isInstanceOf(RateLimitedException.class);
        }

        List<JsonNode> lines = StandardOutput.of(metrics::flush).lines().map(CacheHitsUnderLimitsTest::json).toList();
        // Per tenant, cost and answers are a document of their own, published before the answer's.
        JsonNode first = lines.getFirst();
        assertThat(first.path("Tenant").asText()).isEqualTo("acme");
        assertThat(first.path("_aws").path("CloudWatchMetrics").get(0).path("Dimensions").get(0))
                .extracting(JsonNode::asText).containsExactly("Service", "Tenant");
        assertThat(lines).filteredOn(l -> l.has("Limited")).singleElement().satisfies(l -> {
            assertThat(l.path("Tenant").asText()).isEqualTo("acme");
            assertThat(l.path("Outcome").asText()).isEqualTo("rate_limited");
        });
    }

    private static JsonNode json(String line) {
        try {
            return new ObjectMapper().readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
