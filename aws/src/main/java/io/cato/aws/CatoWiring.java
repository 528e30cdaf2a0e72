package io.cato.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.api.AdminAuth;
import io.cato.api.CatoApi;
import io.cato.api.Idempotency;
import io.cato.aws.bedrock.BedrockModelClient;
import io.cato.aws.dynamodb.DynamoDbBreakerStore;
import io.cato.aws.dynamodb.DynamoDbBudgetStore;
import io.cato.aws.dynamodb.DynamoDbExactCache;
import io.cato.aws.dynamodb.DynamoDbHealthCheck;
import io.cato.aws.dynamodb.DynamoDbSessionStore;
import io.cato.aws.dynamodb.PowertoolsIdempotencyStore;
import io.cato.aws.sagemaker.SageMakerShadowClient;
import io.cato.breaker.CircuitBreakers;
import io.cato.budget.Budgets;
import io.cato.cache.DuplicateVerifier;
import io.cato.cache.Embedder;
import io.cato.cache.MiniLmTokenEncoder;
import io.cato.cache.NearExactCache;
import io.cato.cache.SemanticCache;
import io.cato.cache.VectorIndex;
import io.cato.config.Settings;
import io.cato.aws.dynamodb.DynamoDbSemanticMemory;
import io.cato.memory.Consolidation;
import io.cato.memory.EpisodicMemory;
import io.cato.memory.FactExtractor;
import io.cato.memory.MemoryRecall;
import io.cato.memory.RecentFacts;
import io.cato.memory.SemanticMemory;
import io.cato.nli.NliClient;
import io.cato.verification.VerificationStarter;
import io.cato.model.MemoryAnswerer;
import io.cato.model.ModelClient;
import io.cato.model.OpenAiCompatibleModelClient;
import io.cato.model.Provider;
import io.cato.model.RetryingModelClient;
import io.cato.model.StructuredOutputModelClient;
import io.cato.model.TierConfig;
import io.cato.api.LegacyRoute;
import io.cato.rollout.RolloutFlag;
import io.cato.routing.Orchestrator;
import io.cato.routing.QueryClassifier;
import io.cato.routing.Router;
import io.cato.routing.Tier;
import io.cato.routing.Tiers;
import io.cato.status.HealthCheck;
import io.cato.status.MetricsSink;
import io.cato.status.ServiceStats;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The one place that assembles Cato from its settings; the Lambda function and the local server share it. */
public final class CatoWiring {
    private CatoWiring() {
    }

    /**
     * The semantic cache's process-wide parts: the embedding model and the vector index. Built once
     * per process (SnapStart: before the snapshot) and closed with it.
     */
    public record CacheBackend(Embedder embedder, DuplicateVerifier verifier, VectorIndex index) implements AutoCloseable {
        /** Loads the in-process MiniLM model and the shipped verifier next to {@code index}. */
        public static CacheBackend load(VectorIndex index) {
            return new CacheBackend(MiniLmTokenEncoder.load(1), DuplicateVerifier.loadDefault(), index);
        }

        @Override
        public void close() {
            index.close();
            if (embedder instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    throw new IllegalStateException("cannot close the embedding model", e);
                }
            }
        }
    }

    /** Cato without the semantic cache. */
    public static CatoApi api(Settings settings, DynamoDbClient dynamo, RolloutFlag rollout, ObjectMapper mapper,
                              HttpClient http, Clock clock) {
        return api(settings, dynamo, rollout, mapper, http, clock, Optional.empty());
    }

    public static CatoApi api(Settings settings, DynamoDbClient dynamo, RolloutFlag rollout, ObjectMapper mapper,
                              HttpClient http, Clock clock, Optional<CacheBackend> cacheBackend) {
        return api(settings, dynamo, rollout, mapper, http, clock, Extras.of(cacheBackend));
    }

    /** What a deployment has beyond its tables and tiers; each part is optional. */
    public record Extras(Optional<CacheBackend> cache, Optional<Embedder> embedder, Orchestrator.LongTermMemory memory,
                         List<CatoApi.AdminAction> adminActions, MetricsSink metrics) {

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

    /** How long an episode stays recallable. */
    static final Duration EPISODE_RETENTION = Duration.ofDays(365);

    /** The memory table's facts as the answer path reads them: each domain's kept for {@link RecentFacts#DEFAULT_TTL}. */
    public static RecentFacts recentFacts(Settings settings, DynamoDbClient dynamo, Clock clock) {
        return new RecentFacts(new DynamoDbSemanticMemory(dynamo, settings.tables().memory()), RecentFacts.DEFAULT_TTL,
                clock);
    }

    /**
     * Long-term memory for the answer path: facts from the memory table and, when an episode
     * index is given, past exchanges from it (an index of its own, never the cache's).
     */
    public static Orchestrator.LongTermMemory longTermMemory(Settings settings, DynamoDbClient dynamo,
                                                             Embedder embedder, Optional<VectorIndex> episodeIndex,
                                                             Optional<VerificationStarter> verification, Clock clock) {
        return longTermMemory(recentFacts(settings, dynamo, clock), embedder, episodeIndex, verification, clock);
    }

    /** As above, recalling from the given facts (shared with an in-process consolidation, which adds to them). */
    public static Orchestrator.LongTermMemory longTermMemory(SemanticMemory facts, Embedder embedder,
                                                             Optional<VectorIndex> episodeIndex,
                                                             Optional<VerificationStarter> verification, Clock clock) {
        var recall = new MemoryRecall(facts,
                episodeIndex.map(index -> new EpisodicMemory(embedder, index, EPISODE_RETENTION)), embedder, clock,
                MemoryRecall.Limits.DEFAULT);
        return new Orchestrator.LongTermMemory(Optional.of(recall), verification);
    }

    /** The consolidation steps over the sessions and memory tables; the Lambda function and the local schedule share them. */
    public static Consolidation consolidation(Settings settings, DynamoDbClient dynamo, Embedder embedder,
                                              Optional<VectorIndex> episodeIndex, FactExtractor extractor,
                                              NliClient nli, Clock clock) {
        var memory = new DynamoDbSemanticMemory(dynamo, settings.tables().memory());
        return consolidation(settings, dynamo, memory, embedder, episodeIndex, extractor, nli, clock);
    }

    /** As above, storing facts through {@code facts} (so that an in-process answer path sees them at once). */
    public static Consolidation consolidation(Settings settings, DynamoDbClient dynamo, SemanticMemory facts,
                                              Embedder embedder, Optional<VectorIndex> episodeIndex,
                                              FactExtractor extractor, NliClient nli, Clock clock) {
        return new Consolidation(new DynamoDbSessionStore(dynamo, settings.tables().sessions(), settings.sessionTtl()),
                facts, episodeIndex.map(index -> new EpisodicMemory(embedder, index, EPISODE_RETENTION)), extractor,
                nli, embedder, new DynamoDbSemanticMemory(dynamo, settings.tables().memory()), clock,
                Consolidation.Tuning.DEFAULT);
    }

    public static CatoApi api(Settings settings, DynamoDbClient dynamo, RolloutFlag rollout, ObjectMapper mapper,
                              HttpClient http, Clock clock, Extras extras) {
        Optional<CacheBackend> cacheBackend = extras.cache();
        Optional<Embedder> embedder = extras.embedder();
        MetricsSink metrics = extras.metrics();
        var breakers = new CircuitBreakers(new DynamoDbBreakerStore(dynamo, settings.tables().breakers()),
                settings.breaker(), clock, metrics::breakerOpened);
        Tiers tiers = new Tiers(settings.tiers().stream().filter(TierConfig::enabled)
                .map(config -> checked(new Tier(config, client(config, http, mapper)).guardedBy(breakers), mapper))
                .toList(), settings.fallbackChain());
        ServiceStats stats = new ServiceStats(metrics);
        var sessions = new DynamoDbSessionStore(dynamo, settings.tables().sessions(), settings.sessionTtl());
        Optional<SemanticCache> cache = cacheBackend.filter(b -> settings.cache().enabled())
                .map(b -> new SemanticCache(b.embedder(), b.verifier(),
                        NearExactCache.withDefaults(new DynamoDbExactCache(dynamo, settings.tables().cache())), b.index(),
                        settings.cache(), clock));
        Optional<Router.Classifying> classifying = embedder.filter(e -> classifiesQueries(settings))
                .map(e -> new Router.Classifying(QueryClassifier.loadDefault(), e));
        var router = new Router(tiers, settings.routing(), classifying);
        var budgets = new Budgets(settings.budgets(), new DynamoDbBudgetStore(dynamo, settings.tables().budgets()), clock,
                metrics);
        var orchestrator = Orchestrator.builder(sessions, router).stats(stats).clock(clock).budgets(budgets)
                .limits(new Orchestrator.Limits(settings.maxTurnsRead(), settings.defaultMaxTokens(), 0.7,
                        settings.requestTimeout(), settings.limits().memoryReserve(),
                        settings.limits().maxQueryBytes()))
                .cache(cache).memory(extras.memory()).build();
        var idempotencyStore = new PowertoolsIdempotencyStore(dynamo, settings.tables().idempotency(),
                settings.idempotencyWindow(), mapper, clock);
        var idempotency = new Idempotency(idempotencyStore);
        List<HealthCheck> checks = new java.util.ArrayList<>(List.of(
                new DynamoDbHealthCheck(dynamo, settings.tables().sessions()),
                new DynamoDbHealthCheck(dynamo, settings.tables().idempotency()),
                new DynamoDbHealthCheck(dynamo, settings.tables().breakers())));
        if (budgets.enabled()) {
            checks.add(new DynamoDbHealthCheck(dynamo, settings.tables().budgets()));
        }
        return new CatoApi(new CatoApi.Parts(mapper, orchestrator, tiers, idempotency, rollout,
                legacy(settings, http, mapper), new AdminAuth(settings.adminToken()), checks, stats, clock,
                settings.maxBodyBytes(), new CatoApi.Deadlines(settings.requestTimeout(),
                        settings.limits().streamTimeout()), breakers), extras.adminActions());
    }

    /**
     * One client per tier, built once at start (SnapStart snapshots it): no SDK client is ever
     * built per request. Remote tiers retry throttling within the request's deadline.
     */
    static ModelClient client(TierConfig config, HttpClient http, ObjectMapper mapper) {
        return switch (config.provider()) {
            case OPENAI -> RetryingModelClient.withDefaults(new OpenAiCompatibleModelClient(config, http, mapper));
            case BEDROCK -> RetryingModelClient.withDefaults(new BedrockModelClient(config,
                    AwsClients.bedrockRuntime(config), AwsClients.bedrockRuntimeAsync(config)));
            case SAGEMAKER -> RetryingModelClient.withDefaults(new SageMakerShadowClient(config,
                    AwsClients.sageMakerRuntime(config), mapper));
            case MEMORY -> new MemoryAnswerer();
        };
    }

    /**
     * A remote tier's answers are held to the request's response format and tool definitions outside its breaker:
     * an answer of the wrong shape moves the chain on without counting as the provider's outage.
     */
    static Tier checked(Tier tier, ObjectMapper mapper) {
        return tier.config().provider() == Provider.MEMORY ? tier
                : new Tier(tier.config(), new StructuredOutputModelClient(tier.name(), tier.client(), mapper));
    }

    private static Optional<LegacyRoute> legacy(Settings settings, HttpClient http, ObjectMapper mapper) {
        return settings.legacy().map(legacy -> {
            TierConfig tier = new TierConfig("legacy", Provider.OPENAI, legacy.model(),
                    Optional.of(legacy.baseUrl().toString()), legacy.apiKey(), TierConfig.Prices.FREE, legacy.timeout(),
                    128_000, 0, 4096);
            return new LegacyRoute(legacy.baseUrl(), legacy.apiKey(), http, legacy.timeout(),
                    new OpenAiCompatibleModelClient(tier, http, mapper));
        });
    }

    public static HttpClient httpClient() {
        return httpClient(false);
    }

    /**
     * @param http2 ask upstreams for HTTP/2 (ALPN over TLS, an h2c upgrade over plain HTTP), so many calls
     *              share one connection; servers without it keep answering in HTTP/1.1
     */
    public static HttpClient httpClient(boolean http2) {
        return httpClient(http2, 1);
    }

    /**
     * @param connections independent clients the calls are spread over in turn; over HTTP/2 each keeps one
     *                    connection per upstream, so this is how many connections the calls share
     */
    public static HttpClient httpClient(boolean http2, int connections) {
        return io.cato.aws.http.StripedHttpClient.of(connections, () -> HttpClient.newBuilder()
                .version(http2 ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build());
    }
}
