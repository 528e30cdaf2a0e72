package io.cato.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.api.AdminAuth;
import io.cato.api.ApiRequest;
import io.cato.api.ApiResponse;
import io.cato.api.ApiParts;
import io.cato.api.CatoApi;
import io.cato.api.Idempotency;
import io.cato.config.Json;
import io.cato.api.RequestReader;
import io.cato.breaker.BreakerPolicy;
import io.cato.breaker.CircuitBreakers;
import io.cato.breaker.InMemoryBreakerStore;
import io.cato.embedding.EncodedQuery;
import io.cato.embedding.MiniLmTokenEncoder;
import io.cato.idempotency.InMemoryIdempotencyStore;
import io.cato.model.ChatMessage;
import io.cato.model.ModelClient;
import io.cato.model.ModelReply;
import io.cato.model.ModelRequest;
import io.cato.model.Provider;
import io.cato.model.TierConfig;
import io.cato.model.TokenUsage;
import io.cato.rollout.FixedRolloutFlag;
import io.cato.routing.Classification;
import io.cato.routing.Orchestrator;
import io.cato.routing.Router;
import io.cato.routing.QueryClassifier;
import io.cato.routing.Tier;
import io.cato.routing.Tiers;
import io.cato.session.ContextAssembler;
import io.cato.session.InMemorySessionStore;
import io.cato.session.Turn;
import io.cato.status.ServiceStats;
import io.cato.verifier.DuplicateVerifier;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-request work of the answer path apart from the stores and the model, each on its own:
 * classifying a query from its embedding, fitting a 50-turn conversation into a tier's history
 * budget, checking a circuit breaker (its shared state read from the local copy, as between
 * refreshes), judging one cache candidate with the duplicate verifier, parsing a query request,
 * and one whole request through {@link CatoApi} with in-memory stores and an instant model tier,
 * its response written to bytes.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@Threads(1)
public class HotPathBenchmark {
    private static final String QUERY_BODY = "{\"query\":\"How do I reverse a linked list in Java without recursion?\","
            + "\"session_id\":\"bench-session\",\"domain\":\"code\",\"max_tokens\":512}";

    private QueryClassifier classifier;
    private float[] embedding;
    private List<Turn> turns;
    private CircuitBreakers breakers;
    private ObjectMapper mapper;
    private RequestReader reader;
    private ApiRequest parsedRequest;
    private CatoApi api;
    private ApiRequest statelessRequest;
    private DuplicateVerifier verifier;
    private EncodedQuery storedQuestion;
    private EncodedQuery newQuestion;

    @Setup(Level.Trial)
    public void setUp() {
        classifier = QueryClassifier.loadDefault();
        Random random = new Random(7);
        embedding = new float[classifier.embeddingDimension()];
        double norm = 0;
        for (int i = 0; i < embedding.length; i++) {
            embedding[i] = (float) random.nextGaussian();
            norm += embedding[i] * embedding[i];
        }
        for (int i = 0; i < embedding.length; i++) {
            embedding[i] /= (float) Math.sqrt(norm);
        }
        turns = new ArrayList<>();
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 1; i <= 50; i++) {
            turns.add(Turn.builder().seq(i).query("Question " + i + " about the project plan and its milestones?")
                    .answer("Answer " + i + ": ".repeat(1) + "the milestone depends on the review. ".repeat(8))
                    .model("m").at(at.plusSeconds(i)).domain("general").build());
        }
        breakers = new CircuitBreakers(new InMemoryBreakerStore(), BreakerPolicy.defaults(), Clock.systemUTC());
        mapper = Json.newMapper();
        reader = new RequestReader(mapper, 1_048_576);
        parsedRequest = ApiRequest.of("POST", "/api/cato/query", Map.of("content-type", "application/json"),
                QUERY_BODY.getBytes(StandardCharsets.UTF_8));
        api = inMemoryApi();
        statelessRequest = ApiRequest.of("POST", "/api/cato/query", Map.of("content-type", "application/json"),
                "{\"query\":\"How do I reverse a linked list in Java without recursion?\"}"
                        .getBytes(StandardCharsets.UTF_8));
        verifier = DuplicateVerifier.loadDefault();
        try (MiniLmTokenEncoder encoder = MiniLmTokenEncoder.load(1)) {
            storedQuestion = encoder.encode("How do I reverse a singly linked list in Java without using recursion?");
            newQuestion = encoder.encode("How do I reverse a linked list in Java without recursion?");
        }
    }

    private CatoApi inMemoryApi() {
        ModelClient instant = new ModelClient() {
            @Override
            public ModelReply complete(ModelRequest request) {
                return new ModelReply("Walk the list once, turning each next pointer back to the previous node.",
                        "bench-model", new TokenUsage(40, 20, 0));
            }
        };
        TierConfig config = TierConfig.builder().name("shadow").provider(Provider.OPENAI).modelId("bench-model")
                .baseUrl(Optional.of("http://bench")).prices(TierConfig.Prices.FREE).timeout(Duration.ofSeconds(5))
                .contextWindow(8192).historyBudget(6000).maxOutputTokens(1024).build();
        Clock clock = Clock.systemUTC();
        Tiers tiers = new Tiers(List.of(new Tier(config, instant).guardedBy(breakers)),
                List.of("shadow", "memory"));
        ServiceStats stats = new ServiceStats();
        Orchestrator orchestrator = Orchestrator.builder(new InMemorySessionStore(), Router.chainOrder(tiers))
                .stats(stats).clock(clock).limits(new Orchestrator.Limits(50, 256, 0.2, Duration.ofSeconds(5))).build();
        return new CatoApi(ApiParts.builder(mapper, orchestrator, tiers)
                .idempotency(new Idempotency(new InMemoryIdempotencyStore(clock, Duration.ofHours(1))))
                .rollout(new FixedRolloutFlag(100)).adminAuth(new AdminAuth(Optional.of("bench"))).stats(stats)
                .clock(clock).maxBodyBytes(1_048_576).deadlines(CatoApi.Deadlines.of(Duration.ofSeconds(5)))
                .breakers(breakers).build());
    }

    @Benchmark
    public Classification classification() {
        return classifier.classify("How do I reverse a linked list in Java without recursion?", embedding);
    }

    /** One cache candidate judged: pair features, the network head and the boosted trees (MiniLM excluded). */
    @Benchmark
    public double verifierScore() {
        return verifier.score(storedQuestion, newQuestion);
    }

    @Benchmark
    public List<ChatMessage> contextAssembly() {
        return ContextAssembler.fit(turns, 6000);
    }

    @Benchmark
    public CircuitBreakers.Permit breakerCheck() {
        CircuitBreakers.Permit permit = breakers.acquire("shadow");
        breakers.onSuccess(permit, Duration.ofMillis(120));
        return permit;
    }

    @Benchmark
    public String requestParse() {
        JsonNode body = reader.jsonObject(parsedRequest);
        return RequestReader.requiredText(body, "query", 100_000) + RequestReader.optionalText(body, "session_id")
                + RequestReader.optionalText(body, "domain") + RequestReader.optionalInt(body, "max_tokens", 1, 64_000);
    }

    /** Parse, route to an instant tier, render the response and write it out: everything but I/O and stores. */
    @Benchmark
    public byte[] requestToResponseWrite() throws Exception {
        ApiResponse response = api.handle(statelessRequest);
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        response.body().writeTo(out);
        return out.toByteArray();
    }
}
