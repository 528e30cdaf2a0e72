package io.cato.aws.opensearch;

import static org.assertj.core.api.Assertions.assertThat;

import io.cato.aws.testing.OpenSearchNode;
import io.cato.aws.testing.RecordingProxy;
import io.cato.cache.CacheEntry;
import io.cato.cache.CacheScope;
import io.cato.cache.VectorIndex;
import io.cato.testing.VectorIndexContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The vector index contract, and what serverless mode adds, with the adapter in serverless mode
 * on the in-JVM node. The test index never refreshes on its own: the contract's view (a write is
 * searchable by the next call) comes from a refresh the test harness makes after each write,
 * never from the adapter, and the tests of serverless behaviour refresh only where they say so.
 * Every request the adapter sends goes through a recording proxy and must be one an OpenSearch
 * Serverless vector search collection supports.
 */
class OpenSearchServerlessVectorIndexTest extends VectorIndexContract {
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private static final String INDEX = "[a-z0-9-]+";
    /** Index creation and the document operations of a Serverless vector search collection. */
    private static final List<Pattern> SERVERLESS_OPERATIONS = List.of(
            Pattern.compile("HEAD /" + INDEX),
            Pattern.compile("PUT /" + INDEX),
            Pattern.compile("POST /" + INDEX + "/_doc"),
            Pattern.compile("(GET|POST) /" + INDEX + "/_search"),
            Pattern.compile("(GET|POST) /" + INDEX + "/_count"),
            Pattern.compile("POST (/" + INDEX + ")?/_bulk"),
            Pattern.compile("GET /" + INDEX + "/_doc/[^/]+"),
            Pattern.compile("DELETE /" + INDEX + "/_doc/[^/]+"));

    private static RecordingProxy proxy;

    private OpenSearchNode node;
    private OpenSearchVectorIndex serverless;

    @BeforeAll
    static void startProxy() {
        proxy = new RecordingProxy(OpenSearchNode.shared().endpoint());
    }

    @AfterAll
    static void stopProxy() {
        proxy.close();
    }

    @Override
    protected VectorIndex newIndex() {
        node = OpenSearchNode.shared();
        proxy.clear();
        serverless = node.freshServerlessVectorIndex(proxy.endpoint());
        return new RefreshedAfterEachWrite(serverless, () -> node.refresh(serverless.indexName()));
    }

    @AfterEach
    void usedOnlyOperationsServerlessSupports() {
        assertThat(proxy.requests()).as("the adapter's requests went through the proxy").isNotEmpty();
        for (RecordingProxy.Request request : proxy.requests()) {
            String call = request.method() + " " + request.path();
            assertThat(SERVERLESS_OPERATIONS).as("%s is an operation of Serverless vector collections", call)
                    .anyMatch(p -> p.matcher(call).matches());
            assertThat(request.query()).as("query of %s", request).doesNotContain("refresh");
            if (request.path().endsWith("/_bulk")) {
                for (String line : request.body().split("\n")) {
                    assertThat(line).as("bulk line of %s", request).startsWith("{\"delete\"");
                }
            }
        }
    }

    @Test
    void defaultOptions_areServerlessOnFaiss() {
        var options = OpenSearchVectorIndex.Options.serverless("cache");

        assertThat(options.serverless()).isTrue();
        assertThat(options.engine()).isEqualTo(KnnEngine.FAISS);
        assertThat(OpenSearchVectorIndex.Options.provisioned("cache").serverless()).isFalse();
        assertThat(OpenSearchVectorIndex.Options.provisioned("cache").engine()).isEqualTo(KnnEngine.LUCENE);
    }

    @Test
    void putOfAnExistingId_leavesExactlyOneDocumentForIt() {
        CacheScope scope = scope("t1", "general");
        float[] v = randomUnit();
        serverless.put(entry("e1", scope, v, T0.minusSeconds(60), "first"));
        refresh();
        CacheEntry second = entry("e1", scope, v, T0, "second");
        serverless.put(second);
        refresh();

        assertThat(documentsWithId("e1")).isEqualTo(1);
        assertThat(serverless.get("e1")).contains(second);
        assertThat(serverless.nearest(v, scope.key(), 5, T0)).extracting(n -> n.entry().answer())
                .containsExactly("second");
    }

    @Test
    void aPutBeforeTheLastOneIsSearchable_leavesADuplicateThatReadersCollapseAndTheNextPutRemoves() {
        CacheScope scope = scope("t1", "general");
        float[] v = randomUnit();
        serverless.put(entry("e1", scope, v, T0.minusSeconds(60), "first"));
        serverless.put(entry("e1", scope, v, T0.minusSeconds(30), "second"));
        refresh();

        assertThat(documentsWithId("e1")).as("neither put could see the other's document").isEqualTo(2);
        assertThat(serverless.get("e1")).map(CacheEntry::answer).contains("second");
        assertThat(serverless.nearest(v, scope.key(), 5, T0)).extracting(n -> n.entry().answer())
                .containsExactly("second");
        assertThat(serverless.delete("e1")).isTrue();
        refresh();
        assertThat(documentsWithId("e1")).as("delete removes every copy").isZero();

        serverless.put(entry("e1", scope, v, T0.minusSeconds(20), "third"));
        serverless.put(entry("e1", scope, v, T0.minusSeconds(10), "fourth"));
        refresh();
        serverless.put(entry("e1", scope, v, T0, "fifth"));
        refresh();

        assertThat(documentsWithId("e1")).isEqualTo(1);
        assertThat(serverless.get("e1")).map(CacheEntry::answer).contains("fifth");
    }

    @Test
    void aPutWithAnOlderCreationTime_neverHidesTheNewerEntry() {
        CacheScope scope = scope("t1", "general");
        float[] v = randomUnit();
        serverless.put(entry("e1", scope, v, T0, "newer"));
        refresh();
        serverless.put(entry("e1", scope, v, T0.minusSeconds(60), "older"));
        refresh();

        assertThat(serverless.get("e1")).map(CacheEntry::answer).contains("newer");
        assertThat(serverless.nearest(v, scope.key(), 5, T0)).extracting(n -> n.entry().answer())
                .containsExactly("newer");
    }

    @Test
    void concurrentPutsOfOneId_neverMakeNearestReturnItTwiceNorLeaveNone() throws Exception {
        CacheScope scope = scope("t1", "general");
        float[] v = randomUnit();
        for (int round = 0; round < 10; round++) {
            boolean sameCreationTime = round % 2 == 1; // ties are decided without a creation order
            Instant base = T0.plusSeconds(round);
            List<Instant> created = new ArrayList<>();
            for (int writer = 0; writer < 6; writer++) {
                created.add(sameCreationTime ? base : base.plusMillis(writer));
            }
            AtomicBoolean writing = new AtomicBoolean(true);
            Thread refresher = Thread.ofPlatform().start(() -> {
                while (writing.get()) { // searchability changes under the writers, as on a collection
                    refresh();
                }
            });
            try {
                concurrently(created, c -> serverless.put(entry("e1", scope, v, c, "at " + c.toEpochMilli())));
            } finally {
                writing.set(false);
                refresher.join();
            }
            refresh();

            Optional<CacheEntry> got = serverless.get("e1");
            List<VectorIndex.Neighbour> found = serverless.nearest(v, scope.key(), 10, T0);
            Instant newest = created.stream().max(Instant::compareTo).orElseThrow();

            assertThat(got).as("round %d keeps an entry", round).isPresent();
            assertThat(got.get().createdAt()).isEqualTo(newest);
            assertThat(found).as("round %d", round).extracting(n -> n.entry().id()).containsExactly("e1");
            assertThat(found.getFirst().entry()).isEqualTo(got.get());
        }
        serverless.put(entry("e1", scope, v, T0.plusSeconds(10), "last"));
        refresh();
        assertThat(documentsWithId("e1")).isEqualTo(1);
    }

    /**
     * Two puts of one id with the same creation time, ordered so that each finds the other's
     * document: B writes, the collection refreshes, A writes and searches (finds B, not itself:
     * A wrote last, so it deletes B), the collection refreshes, then B searches and finds A but
     * not itself, because A deleted it. B must not take A for an older copy, or none is left.
     */
    @Test
    void aPutWhoseDocumentWasReplacedMeanwhile_doesNotDeleteTheReplacement() throws Exception {
        CacheScope scope = scope("t1", "general");
        float[] v = randomUnit();
        RecordingProxy.Gate bSearches = proxy.holdNext(r -> r.path().endsWith("/_search"));
        ExecutorService b = Executors.newSingleThreadExecutor();
        try {
            Future<?> putB = b.submit(() -> serverless.put(entry("e1", scope, v, T0, "B")));
            bSearches.awaitArrival();
            refresh();
            serverless.put(entry("e1", scope, v, T0, "A"));
            refresh();
            bSearches.release();
            putB.get();
        } finally {
            b.shutdownNow();
        }
        refresh();

        assertThat(serverless.get("e1")).map(CacheEntry::answer).contains("A");
        assertThat(documentsWithId("e1")).isEqualTo(1);
    }

    @Test
    void deleteDomainAndEvict_pageThroughMoreThanOneBulkOfDocuments() throws IOException {
        CacheScope general = scope("t1", "general");
        CacheScope medical = scope("t1", "medical");
        seed(general, 1_200, T0.minus(Duration.ofHours(1)));
        seed(medical, 1_100, T0.minus(Duration.ofHours(2)));
        refresh();

        assertThat(serverless.deleteDomain("medical")).isEqualTo(1_100);
        assertThat(serverless.deleteDomain("medical")).as("deletes are not searchable away yet").isZero();
        refresh();
        assertThat(serverless.size()).isEqualTo(1_200);

        assertThat(serverless.evict(T0, 150)).isEqualTo(1_050);
        refresh();
        assertThat(serverless.size()).isEqualTo(150);
        assertThat(serverless.get("general-1049")).as("among the oldest").isEmpty();
        assertThat(serverless.get("general-1050")).as("among the newest").isPresent();
    }

    private void seed(CacheScope scope, int count, Instant firstCreated) throws IOException {
        List<CacheDocument> documents = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            documents.add(CacheDocument.of(entry(scope.domain() + "-" + i, scope, randomUnit(),
                    firstCreated.plusMillis(i), Duration.ofDays(1))));
        }
        // Bulks of 200 keep each request short even when the node shares a busy machine.
        for (int from = 0; from < documents.size(); from += 200) {
            List<CacheDocument> part = documents.subList(from, Math.min(documents.size(), from + 200));
            var response = node.rawClient().bulk(b -> {
                for (CacheDocument document : part) {
                    b.operations(op -> op.index(i -> i.index(serverless.indexName()).document(document)));
                }
                return b;
            });
            assertThat(response.errors()).isFalse();
        }
    }

    private CacheEntry entry(String id, CacheScope scope, float[] v, Instant created, String answer) {
        return CacheEntry.builder().id(id).scope(scope).question("question " + id).answer(answer).model("m").tier("t")
                .createdAt(created).expiresAt(created.plus(Duration.ofDays(1))).vector(v).encoding(new byte[] {1})
                .build();
    }

    private long documentsWithId(String id) {
        try {
            return node.rawClient().count(c -> c.index(serverless.indexName())
                    .query(q -> q.term(t -> t.field(CacheDocument.ID).value(v -> v.stringValue(id))))).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void refresh() {
        node.refresh(serverless.indexName());
    }

    private interface Write<T> {
        void run(T item);
    }

    /** Runs one write per item, all released at once. */
    private static <T> void concurrently(List<T> items, Write<T> write) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(items.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> {
                    start.await();
                    write.run(item);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The contract's view of the index: after each write, the test refreshes the index (what a
     * Serverless collection does on its own schedule), so the next call sees the write.
     */
    private record RefreshedAfterEachWrite(VectorIndex index, Runnable refresh) implements VectorIndex {
        @Override
        public void put(CacheEntry entry) {
            index.put(entry);
            refresh.run();
        }

        @Override
        public List<Neighbour> nearest(float[] vector, String scopeKey, int k, Instant now) {
            return index.nearest(vector, scopeKey, k, now);
        }

        @Override
        public Optional<CacheEntry> get(String id) {
            return index.get(id);
        }

        @Override
        public boolean delete(String id) {
            boolean deleted = index.delete(id);
            refresh.run();
            return deleted;
        }

        @Override
        public long deleteDomain(String domain) {
            long deleted = index.deleteDomain(domain);
            refresh.run();
            return deleted;
        }

        @Override
        public long evict(Instant now, long maxEntries) {
            long removed = index.evict(now, maxEntries);
            refresh.run();
            return removed;
        }

        @Override
        public long size() {
            return index.size();
        }

        @Override
        public void close() {
            index.close();
        }
    }
}
