package io.cato.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.aws.metrics.PowertoolsMetricsSink;
import io.cato.aws.testing.StandardOutput;
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
import io.cato.verifier.DuplicateVerifier;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every answer is published as one CloudWatch EMF line with its tier and cache outcome, and no text. */
class AnswerMetricsTest {

    @Test
    void aModelAnswerAndACacheHitEachPublishOneEmfLineWithoutPromptOrAnswerText() throws Exception {
        PowertoolsMetricsSink sink = new PowertoolsMetricsSink("Cato", "cato-route", Clock.systemUTC());
        ServiceStats stats = new ServiceStats(sink);
        TierConfig haiku = TierConfig.builder().name("bedrock_haiku").provider(Provider.OPENAI).modelId("haiku")
                .baseUrl(Optional.of("http://unused")).prices(new TierConfig.Prices(0.0008, 0.004, 0.00008))
                .timeout(Duration.ofSeconds(5)).contextWindow(200_000).historyBudget(16_000).maxOutputTokens(1_000)
                .build();
        Tier tier = new Tier(haiku, request -> new ModelReply("Paris is the capital of France.", "haiku",
                new TokenUsage(1200, 300, 0)));
        try (MiniLmTokenEncoder embedder = MiniLmTokenEncoder.load(1);
             InMemoryVectorIndex index = new InMemoryVectorIndex()) {
            SemanticCache cache = new SemanticCache(embedder, DuplicateVerifier.loadDefault(),
                    new InMemoryExactCache(100), index, CacheSettings.defaults(), Clock.systemUTC());
            Orchestrator orchestrator = Orchestrator.builder(new InMemorySessionStore(),
                    Router.chainOrder(new Tiers(List.of(tier), List.of("bedrock_haiku")))).stats(stats)
                    .limits(new Orchestrator.Limits(50, 256, 0.2, Duration.ofSeconds(5))).cache(Optional.of(cache)).build();

            orchestrator.answer(QueryCommand.simple("t", new SessionKey("t", "s1"), "What is the capital of France?"), null);
            orchestrator.answer(QueryCommand.simple("t", new SessionKey("t", "s2"), "What is the capital of France?"), null);
        }

        String output = StandardOutput.of(sink::flush);
        // Each answer's document; the per-tenant cost and answers are documents of their own.
        List<JsonNode> lines = output.lines().map(AnswerMetricsTest::json).filter(l -> l.has("CacheStatus")).toList();
        assertThat(lines).hasSize(2);
        JsonNode model = lines.get(0);
        assertThat(model.path("_aws").path("CloudWatchMetrics").get(0).path("Namespace").asText()).isEqualTo("Cato");
        assertThat(model.path("Tier").asText()).isEqualTo("bedrock_haiku");
        assertThat(model.path("CacheStatus").asText()).isEqualTo("miss");
        assertThat(model.path("CacheHit").asInt()).isZero();
        assertThat(model.path("CostUsd").asDouble()).isCloseTo(0.00216, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(model.path("InputTokens").asInt()).isEqualTo(1200);
        JsonNode hit = lines.get(1);
        assertThat(hit.path("Tier").asText()).isEqualTo("cache");
        assertThat(hit.path("CacheStatus").asText()).isEqualTo("hit");
        assertThat(hit.path("CacheTier").asText()).isEqualTo("exact");
        assertThat(hit.path("CacheHit").asInt()).isEqualTo(1);
        assertThat(hit.path("CostUsd").asDouble()).isZero();
        assertThat(output).doesNotContainIgnoringCase("capital").doesNotContainIgnoringCase("paris");
    }

    private static JsonNode json(String line) {
        try {
            return new ObjectMapper().readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
