package io.cato.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.cato.testing.ExactCacheContract;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NearExactCacheTest extends ExactCacheContract {
    private final InMemoryExactCache shared = new InMemoryExactCache(100);
    private final NearExactCache cache = new NearExactCache(shared, 100, Duration.ofSeconds(5));
    private final Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    protected ExactCache cache() {
        return cache;
    }

    /** Counts the reads that reach the shared store. */
    private static class CountingStore extends InMemoryExactCacheDelegate {
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public Optional<Entry> get(String id, Instant at) {
            reads.incrementAndGet();
            return super.get(id, at);
        }
    }

    private static class InMemoryExactCacheDelegate implements ExactCache {
        private final InMemoryExactCache inner = new InMemoryExactCache(100);

        @Override
        public Optional<Entry> get(String id, Instant at) {
            return inner.get(id, at);
        }

        @Override
        public void put(Entry entry) {
            inner.put(entry);
        }

        @Override
        public boolean delete(String id) {
            return inner.delete(id);
        }

        @Override
        public long deleteDomain(String domain) {
            return inner.deleteDomain(domain);
        }
    }

    private ExactCache.Entry entry(String id) {
        return new ExactCache.Entry(id, "general", "answer " + id, "m", "shadow", now, now.plusSeconds(3600));
    }

    @Test
    void repeatedHits_readTheSharedStoreOnce_untilTheCopyIsFiveSecondsOld() {
        CountingStore store = new CountingStore();
        store.put(entry("a"));
        NearExactCache near = new NearExactCache(store, 100, Duration.ofSeconds(5));

        for (int i = 0; i < 10; i++) {
            assertThat(near.get("a", now.plusMillis(i * 100))).isPresent();
        }
        assertThat(store.reads).hasValue(1);
        near.get("a", now.plusSeconds(6));
        assertThat(store.reads).hasValue(2);
    }

    @Test
    void concurrentLookupsOfAnIdWithoutACopy_shareOneStoreRead() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        CountingStore store = new CountingStore() {
            @Override
            public Optional<Entry> get(String id, Instant at) {
                started.incrementAndGet();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.get(id, at);
            }
        };
        store.put(entry("hot"));
        NearExactCache near = new NearExactCache(store, 100, Duration.ofSeconds(5));
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            AtomicInteger entered = new AtomicInteger();
            var lookups = java.util.stream.IntStream.range(0, 50)
                    .mapToObj(i -> pool.submit(() -> {
                        entered.incrementAndGet();
                        return near.get("hot", now);
                    })).toList();
            while (entered.get() < 50 || started.get() == 0) {
                Thread.onSpinWait();
            }
            // Give the lookups that entered time to reach the store (without sharing they would all read it).
            Thread.sleep(50);
            release.countDown();
            for (var lookup : lookups) {
                assertThat(lookup.get()).isPresent();
            }
        }

        assertThat(store.reads.get()).isLessThan(5);
    }

    @Test
    void whileOneRequestReadsAnExpiredCopyAgain_theOthersAreAnsweredFromIt_forAtMostAnotherTtl() throws Exception {
        java.util.concurrent.CountDownLatch reading = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean slow = new java.util.concurrent.atomic.AtomicBoolean();
        CountingStore store = new CountingStore() {
            @Override
            public Optional<Entry> get(String id, Instant at) {
                if (slow.get()) {
                    reading.countDown();
                    try {
                        release.await(10, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw new io.cato.dependency.DependencyUnavailableException("cache", new IllegalStateException("slow"));
                }
                return super.get(id, at);
            }
        };
        store.put(entry("hot"));
        NearExactCache near = new NearExactCache(store, 100, Duration.ofSeconds(5));
        assertThat(near.get("hot", now)).isPresent();
        slow.set(true);

        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var reader = pool.submit(() -> near.get("hot", now.plusSeconds(6)));
            assertThat(reading.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

            assertThat(near.get("hot", now.plusSeconds(7))).isPresent();
            assertThat(near.get("hot", now.plusSeconds(9))).isPresent();
            var tooOld = pool.submit(() -> near.get("hot", now.plusSeconds(10)));
            Thread.sleep(50);
            assertThat(tooOld).as("a copy a whole ttl past its time waits for the read").isNotDone();

            release.countDown();
            assertThat(org.assertj.core.api.Assertions.catchThrowable(reader::get))
                    .hasRootCauseInstanceOf(IllegalStateException.class);
            assertThat(org.assertj.core.api.Assertions.catchThrowable(tooOld::get))
                    .hasRootCauseInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aMiss_isNotKept_soAnAnswerStoredByAnotherInstanceIsFoundAtOnce() {
        assertThat(cache.get("b", now)).isEmpty();
        shared.put(entry("b"));

        assertThat(cache.get("b", now.plusMillis(1))).isPresent();
    }

    @Test
    void aPurgeThroughAnotherInstance_reachesThisOneWithinTheCopysLifetime() {
        shared.put(entry("c"));
        assertThat(cache.get("c", now)).isPresent();
        shared.delete("c");

        assertThat(cache.get("c", now.plusSeconds(4))).as("the copy may still answer").isPresent();
        assertThat(cache.get("c", now.plusSeconds(5))).isEmpty();
    }

    @Test
    void anEntryPastItsOwnExpiry_isNeverServedFromTheCopy() {
        cache.put(new ExactCache.Entry("d", "general", "x", "m", "t", now, now.plusSeconds(1)));

        assertThat(cache.get("d", now.plusSeconds(2))).isEmpty();
    }
}
