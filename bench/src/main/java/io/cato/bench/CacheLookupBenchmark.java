package io.cato.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.cache.CacheEligibility;
import io.cato.cache.CacheScope;
import io.cato.cache.CacheSettings;
import io.cato.cache.InMemoryExactCache;
import io.cato.cache.LuceneVectorIndex;
import io.cato.cache.SemanticCache;
import io.cato.embedding.MiniLmTokenEncoder;
import io.cato.verifier.DuplicateVerifier;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One semantic-cache lookup as the route path makes it, embedding included: exact tier miss,
 * MiniLM encoding of the question, HNSW search over {@code entries} cached questions of one scope
 * (the worst case for the scope filter: every entry matches it), and the duplicate verifier on the
 * nearest candidates. The cached questions are real ones: the Quora training questions, the first
 * question of each dev pair and then routing training prompts, each stored with its own encoding
 * through the cache's store path. The asked questions are the dev pairs' second questions, never
 * stored themselves; the duplicates among them find their first question cached, as real traffic
 * has hits. The index is built once into {@code bench/target/cache-index-<entries>} and reused.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 10)
@Measurement(iterations = 5, time = 20)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector",
        "-Xmx6g"})
@Threads(1)
public class CacheLookupBenchmark {
    private static final CacheScope SCOPE = CacheScope.of("bench", "general", CacheScope.AUTO_MODEL, null);

    @Param("100000")
    public int entries;

    /** The shared data directory; {@code -p data=DIR} on the JMH command line ({@code ./cato bench-cache} sets it). */
    @Param("../shared/data")
    public String data;

    private MiniLmTokenEncoder embedder;
    private LuceneVectorIndex index;
    private SemanticCache cache;
    private List<String> questions;
    private final AtomicInteger next = new AtomicInteger();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path dataDir = Path.of(data);
        embedder = MiniLmTokenEncoder.load(1);
        Path indexDir = Path.of("bench", "target", "cache-index-" + entries);
        if (!Files.isDirectory(indexDir)) {
            indexDir = Path.of("target", "cache-index-" + entries);
        }
        Path marker = indexDir.resolve("complete");
        index = LuceneVectorIndex.open(indexDir);
        cache = new SemanticCache(embedder, DuplicateVerifier.loadDefault(), new InMemoryExactCache(16), index,
                CacheSettings.builder().enabled(true).falseHitBudget(0.01).threshold(Optional.empty())
                        .minSimilarity(0.5).candidates(4).defaultTtl(java.time.Duration.ofDays(3650))
                        .ttlByDomain(java.util.Map.of()).maxEntries(Long.MAX_VALUE)
                        .qualifiers(CacheSettings.defaults().qualifiers()).build(),
                Clock.systemUTC());
        if (!Files.exists(marker)) {
            fill(List.of(dataDir.resolve("qqp/train.jsonl"), dataDir.resolve("qqp/dev.jsonl"),
                    dataDir.resolve("routing/train.jsonl")), indexDir);
            Files.writeString(marker, Integer.toString(entries));
        }
        questions = new ArrayList<>(readQuestions(dataDir.resolve("qqp/dev.jsonl"), "text_b", 5_000));
        System.out.println("cache entries: " + cache.size());
        for (int i = 0; i < 200; i++) {
            lookup();
        }
    }

    private void fill(List<Path> sources, Path indexDir) throws Exception {
        // Questions the cache would store at all (standalone ones), a little over the target so that
        // the rare questions sharing an exact form with another still leave enough entries.
        Set<String> eligible = new LinkedHashSet<>();
        int wanted = entries + entries / 50;
        for (Path source : sources) {
            String field = source.getParent().endsWith("routing") ? "prompt"
                    : source.endsWith("dev.jsonl") ? "text_a" : null;
            for (String q : readQuestions(source, field, Integer.MAX_VALUE)) {
                if (eligible.size() < wanted && CacheEligibility.whyNotShared(q, false).isEmpty()) {
                    eligible.add(q);
                }
            }
        }
        List<String> texts = new ArrayList<>(eligible);
        System.out.println("building " + indexDir + " from " + entries + " questions (once)...");
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
        AtomicInteger done = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        int chunk = 1_000;
        for (int from = 0; from < texts.size(); from += chunk) {
            List<String> part = texts.subList(from, Math.min(texts.size(), from + chunk));
            futures.add(pool.submit(() -> {
                for (String q : part) {
                    if (index.get(cache.entryId(SCOPE, q)).isPresent()) {
                        continue; // stored by an earlier, interrupted build
                    }
                    cache.store(SCOPE, q, Optional.empty(), "cached answer", "bench", "bench");
                    int n = done.incrementAndGet();
                    if (n % 10_000 == 0) {
                        System.out.printf("  %d/%d stored, %.0f s%n", n, entries, (System.nanoTime() - started) / 1e9);
                    }
                }
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        if (cache.size() < entries) {
            throw new IllegalStateException("only " + cache.size() + " entries could be built from " + sources);
        }
        index.evict(java.time.Instant.now(), entries);
    }

    /** Distinct texts from a JSON-lines file, in file order; {@code field} null reads text_a and text_b. */
    static Set<String> readQuestions(Path file, String field, int limit) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Set<String> out = new LinkedHashSet<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null && out.size() < limit) {
                JsonNode node = json.readTree(line);
                for (String f : field == null ? new String[] {"text_a", "text_b"} : new String[] {field}) {
                    if (out.size() < limit) {
                        out.add(node.get(f).asText());
                    }
                }
            }
        }
        return out;
    }

    @Benchmark
    public Object lookup() {
        String q = questions.get(Math.floorMod(next.getAndIncrement(), questions.size()));
        return cache.lookup(SCOPE, q, false);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        index.close();
        embedder.close();
    }
}
