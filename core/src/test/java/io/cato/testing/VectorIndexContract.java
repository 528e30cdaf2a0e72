package io.cato.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.cato.cache.CacheEntry;
import io.cato.cache.CacheScope;
import io.cato.cache.VectorIndex;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link VectorIndex} adapter must do; each adapter's test extends this. */
public abstract class VectorIndexContract {
    protected static final int DIMENSION = 384;
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    private final Random random = new Random(42);
    protected VectorIndex index;

    /** A new, empty index. */
    protected abstract VectorIndex newIndex();

    @BeforeEach
    void open() {
        index = newIndex();
    }

    @AfterEach
    void close() {
        index.close();
    }

    protected static CacheScope scope(String tenant, String domain) {
        return CacheScope.of(tenant, domain, CacheScope.AUTO_MODEL, null);
    }

    protected float[] randomUnit() {
        float[] v = new float[DIMENSION];
        double norm = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
            norm += v[i] * v[i];
        }
        for (int i = 0; i < v.length; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    /** {@code base} moved towards a random direction by {@code amount}, back to unit length. */
    protected float[] near(float[] base, double amount) {
        float[] noise = randomUnit();
        float[] v = new float[DIMENSION];
        double norm = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (base[i] + amount * noise[i]);
            norm += v[i] * v[i];
        }
        for (int i = 0; i < v.length; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    protected static CacheEntry entry(String id, CacheScope scope, float[] vector, Instant created, Duration ttl) {
        byte[] encoding = ("encoding of " + id).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return CacheEntry.builder().id(id).scope(scope).question("question " + id).answer("answer " + id)
                .model("model-x").tier("tier-y").createdAt(created).expiresAt(created.plus(ttl)).vector(vector)
                .encoding(encoding).build();
    }

    protected static CacheEntry entry(String id, CacheScope scope, float[] vector) {
        return entry(id, scope, vector, NOW, Duration.ofHours(1));
    }

    @Test
    void findsTheStoredEntryWithItsFieldsIntact() {
        CacheScope scope = scope("t1", "general");
        float[] v = randomUnit();
        CacheEntry stored = entry("e1", scope, v);
        index.put(stored);

        List<VectorIndex.Neighbour> found = index.nearest(v, scope.key(), 3, NOW);

        assertThat(found).hasSize(1);
        assertThat(found.getFirst().entry()).isEqualTo(stored);
        assertThat(found.getFirst().similarity()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(index.get("e1")).contains(stored);
    }

    @Test
    void ordersNeighboursBySimilarityAndReportsTheirCosine() {
        CacheScope scope = scope("t1", "general");
        float[] query = randomUnit();
        index.put(entry("far", scope, near(query, 2.0)));
        index.put(entry("close", scope, near(query, 0.2)));
        index.put(entry("middle", scope, near(query, 0.8)));
        for (int i = 0; i < 50; i++) {
            index.put(entry("noise-" + i, scope, randomUnit()));
        }

        List<VectorIndex.Neighbour> found = index.nearest(query, scope.key(), 3, NOW);

        assertThat(found).extracting(n -> n.entry().id()).containsExactly("close", "middle", "far");
        for (VectorIndex.Neighbour n : found) {
            assertThat(n.similarity()).isCloseTo(cosine(query, n.entry().vector()),
                    org.assertj.core.data.Offset.offset(1e-3));
        }
    }

    @Test
    void neverReturnsAnEntryOfAnotherScopeEvenWhenItIsCloser() {
        CacheScope mine = scope("t1", "general");
        CacheScope otherTenant = scope("t2", "general");
        CacheScope otherDomain = scope("t1", "medical");
        CacheScope otherSystem = CacheScope.of("t1", "general", CacheScope.AUTO_MODEL, "You are a pirate.");
        float[] query = randomUnit();
        index.put(entry("other-tenant", otherTenant, query));
        index.put(entry("other-domain", otherDomain, query));
        index.put(entry("other-system", otherSystem, query));
        for (int i = 0; i < 300; i++) {
            index.put(entry("crowd-" + i, otherTenant, near(query, 0.3)));
        }
        index.put(entry("mine", mine, near(query, 1.5)));

        List<VectorIndex.Neighbour> found = index.nearest(query, mine.key(), 5, NOW);

        assertThat(found).extracting(n -> n.entry().id()).containsExactly("mine");
    }

    @Test
    void skipsExpiredEntries() {
        CacheScope scope = scope("t1", "general");
        float[] v = randomUnit();
        index.put(entry("old", scope, v, NOW.minus(Duration.ofHours(2)), Duration.ofHours(1)));
        index.put(entry("fresh", scope, near(v, 0.5)));

        assertThat(index.nearest(v, scope.key(), 5, NOW)).extracting(n -> n.entry().id()).containsExactly("fresh");
    }

    @Test
    void putWithTheSameIdReplacesTheEntry() {
        CacheScope scope = scope("t1", "general");
        float[] v = randomUnit();
        index.put(entry("e1", scope, v));
        CacheEntry replacement = CacheEntry.builder().id("e1").scope(scope).question("question e1")
                .answer("a better answer").model("m").tier("t").createdAt(NOW)
                .expiresAt(NOW.plus(Duration.ofHours(1))).vector(v).encoding(new byte[] {1, 2, 3}).build();
        index.put(replacement);

        assertThat(index.size()).isEqualTo(1);
        assertThat(index.nearest(v, scope.key(), 5, NOW)).extracting(n -> n.entry().answer())
                .containsExactly("a better answer");
    }

    @Test
    void deletesOneEntryOrAWholeDomain() {
        CacheScope general = scope("t1", "general");
        CacheScope medicalA = scope("t1", "medical");
        CacheScope medicalB = scope("t2", "medical");
        float[] v = randomUnit();
        index.put(entry("g1", general, v));
        index.put(entry("g2", general, near(v, 0.3)));
        index.put(entry("m1", medicalA, v));
        index.put(entry("m2", medicalB, v));

        assertThat(index.delete("g1")).isTrue();
        assertThat(index.delete("g1")).isFalse();
        assertThat(index.get("g1")).isEmpty();
        assertThat(index.deleteDomain("medical")).isEqualTo(2);
        assertThat(index.deleteDomain("medical")).isZero();

        assertThat(index.size()).isEqualTo(1);
        assertThat(index.nearest(v, general.key(), 5, NOW)).extracting(n -> n.entry().id()).containsExactly("g2");
        assertThat(index.nearest(v, medicalA.key(), 5, NOW)).isEmpty();
    }

    @Test
    void evictsExpiredEntriesThenTheOldestBeyondTheBound() {
        CacheScope scope = scope("t1", "general");
        index.put(entry("expired", scope, randomUnit(), NOW.minus(Duration.ofDays(2)), Duration.ofDays(1)));
        for (int i = 0; i < 10; i++) {
            index.put(entry("e" + i, scope, randomUnit(), NOW.minus(Duration.ofMinutes(10 - i)), Duration.ofHours(1)));
        }

        long removed = index.evict(NOW, 6);

        assertThat(removed).isEqualTo(5);
        assertThat(index.size()).isEqualTo(6);
        assertThat(index.get("expired")).isEmpty();
        for (int i = 0; i < 4; i++) {
            assertThat(index.get("e" + i)).as("e" + i + " is among the oldest").isEmpty();
        }
        for (int i = 4; i < 10; i++) {
            assertThat(index.get("e" + i)).as("e" + i + " is among the newest").isPresent();
        }
    }

    @Test
    void concurrentWritersLoseNoEntry() throws Exception {
        CacheScope scope = scope("t1", "general");
        int threads = 8;
        int perThread = 25;
        List<float[]> vectors = new ArrayList<>();
        for (int i = 0; i < threads * perThread; i++) {
            vectors.add(randomUnit());
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        int n = thread * perThread + i;
                        index.put(entry("c" + n, scope, vectors.get(n)));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(index.size()).isEqualTo(threads * perThread);
        for (int n = 0; n < threads * perThread; n += 17) {
            assertThat(index.nearest(vectors.get(n), scope.key(), 1, NOW)).extracting(x -> x.entry().id())
                    .containsExactly("c" + n);
        }
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot;
    }
}
