package io.cato.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.api.AdminAuth;
import io.cato.api.ApiParts;
import io.cato.api.CatoApi;
import io.cato.api.Idempotency;
import io.cato.aws.dynamodb.DynamoDbBreakerStore;
import io.cato.aws.dynamodb.DynamoDbBudgetStore;
import io.cato.aws.dynamodb.DynamoDbExactCache;
import io.cato.aws.dynamodb.DynamoDbHealthCheck;
import io.cato.aws.dynamodb.DynamoDbSemanticMemory;
import io.cato.aws.dynamodb.DynamoDbSessionStore;
import io.cato.aws.dynamodb.PowertoolsIdempotencyStore;
import io.cato.breaker.CircuitBreakers;
import io.cato.budget.Budgets;
import io.cato.cache.NearExactCache;
import io.cato.cache.SemanticCache;
import io.cato.cache.VectorIndex;
import io.cato.config.Settings;
import io.cato.embedding.Embedder;
import io.cato.memory.Consolidation;
import io.cato.memory.EpisodicMemory;
import io.cato.memory.FactExtractor;
import io.cato.memory.MemoryRecall;
import io.cato.memory.RecentFacts;
import io.cato.memory.SemanticMemory;
import io.cato.model.TierConfig;
import io.cato.nli.NliClient;
import io.cato.rollout.RolloutFlag;
import io.cato.routing.Orchestrator;
import io.cato.routing.QueryClassifier;
import io.cato.routing.Router;
import io.cato.routing.Tier;
import io.cato.routing.Tiers;
import io.cato.status.HealthCheck;
import io.cato.status.MetricsSink;
import io.cato.status.ServiceStats;
import io.cato.verification.VerificationStarter;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Cato's parts over its DynamoDB tables, as every deployment builds them: the answer path
 * ({@link #api}), long-term memory and consolidation. The route function, the workflow functions and
 * the local server each build one from their {@link Settings} and ask it for what they serve.
 */
public final class DynamoDbComponents {
    /** How long an episode stays recallable. */
    static final Duration EPISODE_RETENTION = Duration.ofDays(365);

    private final Settings settings;
    private final DynamoDbClient dynamo;
    private final ObjectMapper mapper;
    private final Clock clock;

    public DynamoDbComponents(Settings settings, DynamoDbClient dynamo, ObjectMapper mapper, Clock clock) {
        this.settings = settings;
        this.dynamo = dynamo;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** What a deployment has beyond its tables and tiers; each part is optional. */
    public record Extras(Optional<CacheBackend> cache, Optional<Embedder> embedder, Orchestrator.LongTermMemory memory,
                         List<CatoApi.AdminAction> adminActions, MetricsSink metrics) {
        public static final Extras NONE = of(Optional.empty());

        /** The cache when present, and its encoder for the classifier, so that a query is encoded once. */
        public static Extras of(Optional<CacheBackend> cache) {
            return new Extras(cache, cache.map(CacheBackend::embedder), Orchestrator.LongTermMemory.NONE, List.of(),
                    MetricsSink.NONE);
        }

        /** The MiniLM encoder the classifier reads; without one, queries are not classified. */
        public Extras withEmbedder(Optional<Embedder> value) {
            return new Extras(cache, value, memory, adminActions, metrics);
        }

        public Extras withMemory(Orchestrator.LongTermMemory value, List<CatoApi.AdminAction> actions) {
            return new Extras(cache, embedder, value, List.copyOf(actions), metrics);
        }

        /** Where each answer's metrics and breaker openings are published (EMF in Lambda). */
        public Extras withMetrics(MetricsSink value) {
            return new Extras(cache, embedder, memory, adminActions, value);
        }
    }

    /**
     * Whether this deployment classifies queries: both the strong and the cheap tier of {@code routing} are
     * deployed in the fallback chain. Otherwise tiers are tried in the chain's order, as without a router.
     */
    public static boolean classifiesQueries(Settings settings) {
        List<String> deployed = settings.tiers().stream().filter(TierConfig::enabled).map(TierConfig::name)
                .filter(settings.fallbackChain()::contains).toList();
        return deployed.contains(settings.routing().complexTier()) && deployed.contains(settings.routing().simpleTier());
    }

    /** The memory table's facts, read and written directly. */
    public DynamoDbSemanticMemory facts() {
        return new DynamoDbSemanticMemory(dynamo, settings.tables().memory());
    }

    public DynamoDbSessionStore sessions() {
        return new DynamoDbSessionStore(dynamo, settings.tables().sessions(), settings.sessions().ttl());
    }

    /** The memory table's facts as the answer path reads them: each domain's kept for {@link RecentFacts#DEFAULT_TTL}. */
    public RecentFacts recentFacts() {
        return new RecentFacts(facts(), RecentFacts.DEFAULT_TTL, clock);
    }

    /** Recall from {@code facts} and, when an episode index is given, past exchanges (an index of its own). */
    public MemoryRecall recall(SemanticMemory facts, Embedder embedder, Optional<VectorIndex> episodeIndex) {
        return new MemoryRecall(facts, episodes(embedder, episodeIndex), embedder, clock, MemoryRecall.Limits.DEFAULT);
    }

    /** Long-term memory for the answer path: recall from {@code facts}, verification started after answering. */
    public Orchestrator.LongTermMemory longTermMemory(SemanticMemory facts, Embedder embedder,
                                                      Optional<VectorIndex> episodeIndex,
                                                      Optional<VerificationStarter> verification) {
        return new Orchestrator.LongTermMemory(Optional.of(recall(facts, embedder, episodeIndex)), verification);
    }

    /** The consolidation steps, storing facts through {@code facts} (in-process: the answer path's copy). */
    public Consolidation consolidation(SemanticMemory facts, Embedder embedder, Optional<VectorIndex> episodeIndex,
                                       FactExtractor extractor, NliClient nli) {
        return new Consolidation(sessions(), facts, episodes(embedder, episodeIndex), extractor, nli, embedder,
                facts(), clock, Consolidation.Tuning.DEFAULT);  // the memory table keeps the watermarks too
    }

    private static Optional<EpisodicMemory> episodes(Embedder embedder, Optional<VectorIndex> index) {
        return index.map(i -> new EpisodicMemory(embedder, i, EPISODE_RETENTION));
    }

    /** The answer path: tiers behind shared breakers, sessions, cache, router, budgets and idempotency. */
    public CatoApi api(RolloutFlag rollout, HttpClient http, Extras extras) {
        MetricsSink metrics = extras.metrics();
        var breakers = new CircuitBreakers(new DynamoDbBreakerStore(dynamo, settings.tables().breakers()),
                settings.breaker(), clock, metrics::breakerOpened);
        Tiers tiers = new Tiers(settings.tiers().stream().filter(TierConfig::enabled)
                .map(config -> ModelClients.checked(new Tier(config, ModelClients.client(config, http, mapper))
                        .guardedBy(breakers), mapper))
                .toList(), settings.fallbackChain());
        ServiceStats stats = new ServiceStats(metrics);
        var budgets = new Budgets(settings.budgets(), new DynamoDbBudgetStore(dynamo, settings.tables().budgets()), clock,
                metrics);
        var orchestrator = Orchestrator.builder(sessions(), router(tiers, extras.embedder())).stats(stats).clock(clock)
                .budgets(budgets).limits(orchestratorLimits()).cache(cache(extras.cache()))
                .memory(extras.memory()).build();
        var idempotency = new Idempotency(new PowertoolsIdempotencyStore(dynamo, settings.tables().idempotency(),
                settings.sessions().idempotencyWindow(), mapper, clock));
        return new CatoApi(ApiParts.builder(mapper, orchestrator, tiers)
                .idempotency(idempotency).rollout(rollout)
                .legacy(ModelClients.legacy(settings.rollout(), http, mapper))
                .adminAuth(new AdminAuth(settings.server().adminToken())).healthChecks(healthChecks(budgets))
                .stats(stats).clock(clock).maxBodyBytes(settings.limits().maxBodyBytes())
                .deadlines(new CatoApi.Deadlines(settings.limits().requestTimeout(), settings.limits().streamTimeout()))
                .breakers(breakers).build(), extras.adminActions());
    }

    private Router router(Tiers tiers, Optional<Embedder> embedder) {
        Optional<Router.Classifying> classifying = embedder.filter(e -> classifiesQueries(settings))
                .map(e -> new Router.Classifying(QueryClassifier.loadDefault(), e));
        return new Router(tiers, settings.routing(), classifying);
    }

    private Optional<SemanticCache> cache(Optional<CacheBackend> backend) {
        return backend.filter(b -> settings.cache().enabled())
                .map(b -> new SemanticCache(b.embedder(), b.verifier(),
                        NearExactCache.withDefaults(new DynamoDbExactCache(dynamo, settings.tables().cache())), b.index(),
                        settings.cache(), clock));
    }

    private Orchestrator.Limits orchestratorLimits() {
        Settings.Limits limits = settings.limits();
        return new Orchestrator.Limits(settings.sessions().maxTurnsRead(), limits.defaultMaxTokens(), 0.7,
                limits.requestTimeout(), limits.memoryReserve(), limits.maxQueryBytes());
    }

    private List<HealthCheck> healthChecks(Budgets budgets) {
        List<HealthCheck> checks = new ArrayList<>(List.of(
                new DynamoDbHealthCheck(dynamo, settings.tables().sessions()),
                new DynamoDbHealthCheck(dynamo, settings.tables().idempotency()),
                new DynamoDbHealthCheck(dynamo, settings.tables().breakers())));
        if (budgets.enabled()) {
            checks.add(new DynamoDbHealthCheck(dynamo, settings.tables().budgets()));
        }
        return checks;
    }
}
