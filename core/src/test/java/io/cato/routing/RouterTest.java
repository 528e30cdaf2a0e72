package io.cato.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cato.cache.CacheSettings;
import io.cato.cache.InMemoryExactCache;
import io.cato.cache.InMemoryVectorIndex;
import io.cato.cache.SemanticCache;
import io.cato.embedding.CountingEmbedder;
import io.cato.model.ModelCallException;
import io.cato.model.ModelClient;
import io.cato.model.ModelFailure;
import io.cato.model.ModelReply;
import io.cato.model.ModelRequest;
import io.cato.model.Provider;
import io.cato.model.TierConfig;
import io.cato.model.TokenUsage;
import io.cato.session.InMemorySessionStore;
import io.cato.status.ServiceStats;
import io.cato.verifier.DuplicateVerifier;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RouterTest {
    private static final String LONG_QUESTION = "Compare these designs in depth. " + "x".repeat(400);

    /** A tier that answers, or fails with the failure it is currently set to. */
    private static final class ScriptedTier implements ModelClient {
        final String name;
        final AtomicReference<ModelFailure> failure = new AtomicReference<>();
        final AtomicReference<RuntimeException> defect = new AtomicReference<>();
        final List<String> queries = new ArrayList<>();

        ScriptedTier(String name) {
            this.name = name;
        }

        @Override
        public ModelReply complete(ModelRequest request) {
            queries.add(request.query());
            if (defect.get() != null) {
                throw defect.get();
            }
            if (failure.get() != null) {
                throw new ModelCallException(name, failure.get());
            }
            return new ModelReply("from " + name, name, new TokenUsage(1000, 100, 0));
        }
    }

    private final ScriptedTier sonnet = new ScriptedTier("bedrock_sonnet");
    private final ScriptedTier haiku = new ScriptedTier("bedrock_haiku");
    private final ScriptedTier shadow = new ScriptedTier("shadow");
    private final ServiceStats stats = new ServiceStats();

    private static Tier tier(ScriptedTier client, int contextWindow, double inputPer1k) {
        TierConfig config = TierConfig.builder().name(client.name).provider(Provider.OPENAI).modelId(client.name)
                .baseUrl(Optional.of("http://stub")).prices(new TierConfig.Prices(inputPer1k, inputPer1k * 5, 0))
                .timeout(Duration.ofSeconds(1)).contextWindow(contextWindow)
                .historyBudget(Math.min(4096, contextWindow / 2)).maxOutputTokens(512).build();
        return new Tier(config, client);
    }

    private Tiers tiers(List<String> chain) {
        return new Tiers(List.of(tier(sonnet, 200_000, 0.003), tier(haiku, 200_000, 0.0008),
                tier(shadow, 2_048, 0)), chain);
    }

    /** Queries longer than 100 characters are complex: the length feature alone decides, the embedding is ignored. */
    private static QueryClassifier lengthClassifier() {
        float[] weights = new float[384 + QueryFeatures.NAMES.size()];
        weights[384] = 10f;
        var complexity = new QueryClassifierWeights.LinearHead(weights, -10 * Math.log1p(100));
        var domains = new QueryClassifierWeights.SoftmaxHead(List.of("general"), new float[1][384], new double[1]);
        return QueryClassifier.of(new QueryClassifierWeights(QueryClassifierWeights.FORMAT, "test", 384, 0.5,
                QueryFeatures.NAMES, complexity, domains));
    }

    private Router router(List<String> chain, RoutingSettings settings) {
        return new Router(tiers(chain), settings,
                Optional.of(new Router.Classifying(lengthClassifier(), CountingEmbedder.constant())));
    }

    private Orchestrator orchestrator(Router router) {
        return Orchestrator.builder(new InMemorySessionStore(), router).stats(stats)
                .limits(new Orchestrator.Limits(10, 256, 0.2, Duration.ofSeconds(5))).build();
    }

    private Orchestrator routed() {
        return orchestrator(router(List.of("bedrock_sonnet", "bedrock_haiku", "shadow", "memory"),
                RoutingSettings.defaults()));
    }

    private static QueryCommand query(String text) {
        return QueryCommand.builder().tenant("t").query(text).build();
    }

    private static QueryCommand pinned(String text, String model) {
        return QueryCommand.builder().tenant("t").query(text).model(Optional.of(model)).build();
    }

    @Test
    void shortQuery_goesToTheCheapTier_andNamesTheClassification() {
        Answer answer = routed().answer(query("What is 2+2?"), null);

        assertThat(answer.tier()).isEqualTo("bedrock_haiku");
        assertThat(answer.reason()).isEqualTo("classified_simple");
        assertThat(answer.fallbackFrom()).isEmpty();
        assertThat(answer.classification()).hasValueSatisfying(c -> assertThat(c.complex()).isFalse());
        assertThat(sonnet.queries).isEmpty();
    }

    @Test
    void complexQuery_goesToTheStrongTier_andIsPricedByIt() {
        Answer answer = routed().answer(query(LONG_QUESTION), null);

        assertThat(answer.tier()).isEqualTo("bedrock_sonnet");
        assertThat(answer.reason()).isEqualTo("classified_complex");
        assertThat(answer.costUsd()).isEqualTo((1000 * 0.003 + 100 * 0.015) / 1000.0);
        assertThat(stats.snapshot().tiers().get("bedrock_sonnet").chosen()).isEqualTo(1);
        assertThat(stats.snapshot().routeReasons()).containsEntry("classified_complex", 1L);
    }

    @Test
    void thresholdSetting_overridesTheShippedOperatingPoint() {
        Orchestrator everythingComplex = orchestrator(router(List.of("bedrock_sonnet", "bedrock_haiku", "memory"),
                new RoutingSettings("bedrock_sonnet", "bedrock_haiku", Optional.of(0.0), Map.of(), List.of("auto"))));

        assertThat(everythingComplex.answer(query("hi"), null).tier()).isEqualTo("bedrock_sonnet");
    }

    @Test
    void strongTierThrottled_fallsBackToTheCheapTier_namingTheFailure() {
        sonnet.failure.set(new ModelFailure.Throttled("429"));

        Answer answer = routed().answer(query(LONG_QUESTION), null);

        assertThat(answer.tier()).isEqualTo("bedrock_haiku");
        assertThat(answer.fallbackFrom()).contains("bedrock_sonnet");
        assertThat(answer.reason()).isEqualTo("fallback_throttled");
    }

    @Test
    void cheapTierDown_simpleQueryMovesAlongTheChainToTheStrongTier() {
        haiku.failure.set(new ModelFailure.Unavailable("HTTP 500"));

        Answer answer = routed().answer(query("What is 2+2?"), null);

        assertThat(answer.tier()).isEqualTo("bedrock_sonnet");
        assertThat(answer.fallbackFrom()).contains("bedrock_haiku");
        assertThat(answer.reason()).isEqualTo("fallback_unavailable");
    }

    @Test
    void unexpectedExceptionFromATierClient_isTreatedAsUnavailable_andTheChainMovesOn() {
        haiku.defect.set(new IllegalStateException("a defect in the client"));

        Answer answer = routed().answer(query("What is 2+2?"), null);

        assertThat(answer.tier()).isEqualTo("bedrock_sonnet");
        assertThat(answer.fallbackFrom()).contains("bedrock_haiku");
        assertThat(answer.reason()).isEqualTo("fallback_unavailable");
        assertThat(stats.snapshot().tiers().get("bedrock_haiku").errors()).isEqualTo(1);
    }

    @Test
    void everyRemoteTierThrowingUnexpectedly_endsAtTheMemoryTier() {
        sonnet.defect.set(new NullPointerException());
        haiku.defect.set(new IllegalArgumentException());
        shadow.defect.set(new ArrayIndexOutOfBoundsException());

        Answer answer = routed().answer(query("What is 2+2?"), null);

        assertThat(answer.tier()).isEqualTo("memory");
        assertThat(answer.degraded()).isTrue();
    }

    @Test
    void eachFailureType_movesOnAndIsNamed() {
        Map<ModelFailure, String> reasons = Map.of(new ModelFailure.TimedOut("t"), "fallback_timed_out",
                new ModelFailure.Refused("r"), "fallback_refused", new ModelFailure.Unavailable("u"),
                "fallback_unavailable", new ModelFailure.Throttled("th"), "fallback_throttled");
        reasons.forEach((failure, reason) -> {
            haiku.failure.set(failure);
            assertThat(routed().answer(query("What is 2+2?"), null).reason()).as(reason).isEqualTo(reason);
        });
    }

    @Test
    void contextTooLong_skipsTiersWhoseWindowIsNoLarger() {
        Orchestrator smallFirst = orchestrator(router(List.of("shadow", "bedrock_haiku", "memory"),
                new RoutingSettings("shadow", "shadow", Optional.empty(),
                        Map.of("shadow", List.of("bedrock_haiku")), List.of("auto"))));
        shadow.failure.set(new ModelFailure.ContextTooLong("too long"));

        Answer answer = smallFirst.answer(query("Summarise this"), null);

        assertThat(answer.tier()).isEqualTo("bedrock_haiku");
        assertThat(answer.reason()).isEqualTo("fallback_context_too_long");
    }

    @Test
    void contextTooLong_onTheLargestWindow_endsAtTheMemoryTier() {
        Orchestrator orchestrator = routed();
        sonnet.failure.set(new ModelFailure.ContextTooLong("too long"));

        Answer answer = orchestrator.answer(query(LONG_QUESTION), null);

        assertThat(answer.tier()).isEqualTo("memory");
        assertThat(answer.degraded()).isTrue();
        assertThat(haiku.queries).as("haiku's window is no larger than sonnet's").isEmpty();
        assertThat(shadow.queries).isEmpty();
    }

    @Test
    void promptLargerThanTheChosenWindow_goesToATierWhoseWindowFits() {
        Orchestrator smallFirst = orchestrator(router(List.of("shadow", "bedrock_haiku", "memory"),
                new RoutingSettings("shadow", "shadow", Optional.empty(), Map.of(), List.of("auto"))));
        String document = "word ".repeat(3_000);

        Answer answer = smallFirst.answer(query(document), null);

        assertThat(answer.tier()).isEqualTo("bedrock_haiku");
        assertThat(answer.reason()).isEqualTo("context_window");
        assertThat(answer.fallbackFrom()).contains("shadow");
        assertThat(shadow.queries).isEmpty();
    }

    @Test
    void pinnedModel_isTriedFirstWithoutClassifying() {
        Answer answer = routed().answer(pinned("What is 2+2?", "bedrock_sonnet"), null);

        assertThat(answer.tier()).isEqualTo("bedrock_sonnet");
        assertThat(answer.reason()).isEqualTo("pinned_model");
        assertThat(answer.classification()).isEmpty();
    }

    @Test
    void autoModel_isRouted_andAnUnknownModelIsRejected() {
        Orchestrator orchestrator = routed();

        assertThat(orchestrator.answer(pinned("What is 2+2?", "auto"), null).reason()).isEqualTo("classified_simple");
        assertThatThrownBy(() -> orchestrator.answer(pinned("What is 2+2?", "gpt-5"), null))
                .isInstanceOf(UnknownModelException.class);
        assertThat(sonnet.queries).isEmpty();
        assertThat(haiku.queries).hasSize(1);
    }

    @Test
    void withoutTheStrongTierDeployed_routingKeepsTheChainOrder() {
        Orchestrator noSonnet = orchestrator(router(List.of("shadow", "bedrock_haiku", "memory"),
                RoutingSettings.defaults()));

        Answer answer = noSonnet.answer(query("What is 2+2?"), null);

        assertThat(answer.tier()).isEqualTo("shadow");
        assertThat(answer.reason()).isEqualTo("first_available_in_chain");
        assertThat(answer.classification()).isEmpty();
    }

    @Test
    void cacheMiss_theClassifierReusesTheCachesEncoding_oneModelPassPerQuery() {
        CountingEmbedder embedder = new CountingEmbedder(CountingEmbedder.constant());
        var cache = new SemanticCache(embedder, DuplicateVerifier.loadDefault(), new InMemoryExactCache(100),
                new InMemoryVectorIndex(), CacheSettings.defaults(), Clock.systemUTC());
        Router router = new Router(tiers(List.of("bedrock_sonnet", "bedrock_haiku", "memory")),
                RoutingSettings.defaults(), Optional.of(new Router.Classifying(lengthClassifier(), embedder)));
        Orchestrator orchestrator = Orchestrator.builder(new InMemorySessionStore(), router).stats(stats)
                .limits(new Orchestrator.Limits(10, 256, 0.2, Duration.ofSeconds(5))).cache(Optional.of(cache)).build();

        Answer missed = orchestrator.answer(query("Which river is the longest in Europe?"), null);
        int afterMiss = embedder.calls();
        Answer bypassed = orchestrator.answer(query("What is the weather today in Oslo?"), null);

        assertThat(missed.cache().status()).isEqualTo("miss");
        assertThat(missed.classification()).isPresent();
        assertThat(afterMiss).as("one pass for the lookup, reused by the classifier").isEqualTo(1);
        assertThat(bypassed.cache().status()).isEqualTo("bypass");
        assertThat(embedder.calls() - afterMiss).as("no lookup encoding: the router encodes once").isEqualTo(1);
    }

    @Test
    void everyTierDown_theMemoryTierAnswers_degraded() {
        sonnet.failure.set(new ModelFailure.Unavailable("down"));
        haiku.failure.set(new ModelFailure.TimedOut("slow"));
        shadow.failure.set(new ModelFailure.Throttled("busy"));

        Answer answer = routed().answer(query("What is 2+2?"), null);

        assertThat(answer.tier()).isEqualTo("memory");
        assertThat(answer.degraded()).isTrue();
        assertThat(answer.fallbackFrom()).contains("bedrock_haiku");
    }
}
