package io.cato.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cato.dependency.DependencyUnavailableException;
import io.cato.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RecentFactsTest {
    private final MutableClock clock = new MutableClock();
    private final CountingMemory store = new CountingMemory();
    private final RecentFacts facts = new RecentFacts(store, Duration.ofSeconds(30), clock);

    private static Fact fact(String domain, String statement) {
        return Fact.builder().id(Fact.idFor("t", domain, statement)).tenant("t").domain(domain).statement(statement)
                .source(Fact.FROM_CONVERSATION).sourceRef("t#s#1").confidence(0.9).createdAt(Instant.EPOCH)
                .updatedAt(Instant.EPOCH).vector(new float[] {1, 0}).build();
    }

    @Test
    void aDomainsFacts_areReadOncePerTtl_emptyDomainsIncluded() {
        store.target.add(fact("ai", "Machine learning learns from data."));

        for (int i = 0; i < 100; i++) {
            assertThat(facts.inDomain("t", "ai", 500)).hasSize(1);
            assertThat(facts.inDomain("t", "law", 500)).isEmpty();
        }
        assertThat(store.reads.get()).isEqualTo(2);

        store.target.add(fact("ai", "A neural network has layers."));
        assertThat(facts.inDomain("t", "ai", 500)).hasSize(1);
        clock.advance(Duration.ofSeconds(30));
        assertThat(facts.inDomain("t", "ai", 500)).hasSize(2);
        assertThat(store.reads.get()).isEqualTo(3);
    }

    @Test
    void aFactAddedThroughIt_isSeenAtOnce() {
        assertThat(facts.inDomain("t", "ai", 500)).isEmpty();

        assertThat(facts.add(fact("ai", "Machine learning learns from data."))).isTrue();

        assertThat(facts.inDomain("t", "ai", 500)).hasSize(1);
        assertThat(facts.add(fact("ai", "Machine learning learns from data."))).isFalse();
    }

    @Test
    void theDirectView_readsTheStore_andItsAddsReplaceTheCopy() {
        assertThat(facts.inDomain("t", "ai", 500)).isEmpty();
        store.target.add(fact("ai", "One."));

        assertThat(facts.direct().inDomain("t", "ai", 500)).hasSize(1);
        assertThat(facts.inDomain("t", "ai", 500)).isEmpty();
        facts.direct().add(fact("ai", "Two."));
        assertThat(facts.inDomain("t", "ai", 500)).hasSize(2);
    }

    @Test
    void aLargerLimitThanTheCopyWasReadWith_readsAgain_aSmallerOneIsCut() {
        store.target.add(fact("ai", "One."));
        store.target.add(fact("ai", "Two."));
        store.target.add(fact("ai", "Three."));

        assertThat(facts.inDomain("t", "ai", 2)).hasSize(2);
        assertThat(facts.inDomain("t", "ai", 3)).hasSize(3);
        assertThat(facts.inDomain("t", "ai", 1)).hasSize(1);
        assertThat(store.reads.get()).isEqualTo(2);
    }

    @Test
    void aFailedRead_isNotKept() {
        store.down = true;
        assertThatThrownBy(() -> facts.inDomain("t", "ai", 500)).isInstanceOf(DependencyUnavailableException.class);

        store.down = false;
        store.target.add(fact("ai", "Machine learning learns from data."));
        assertThat(facts.inDomain("t", "ai", 500)).hasSize(1);
    }

    @Test
    void concurrentQueriesOfADomain_shareOneRead() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        store.beforeRead = () -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var queries = IntStream.range(0, 200).mapToObj(i -> pool.submit(() -> facts.inDomain("t", "ai", 500)))
                    .toList();
            Thread.sleep(200);
            release.countDown();
            for (var query : queries) {
                assertThat(query.get(10, TimeUnit.SECONDS)).isEmpty();
            }
        }
        assertThat(store.reads.get()).isEqualTo(1);
    }

    @Test
    void whileOneQueryReadsAnExpiredDomainAgain_theOthersAreAnsweredFromTheOldCopyAtOnce() throws Exception {
        store.target.add(fact("ai", "Machine learning learns from data."));
        assertThat(facts.inDomain("t", "ai", 500)).hasSize(1);
        clock.advance(Duration.ofSeconds(31));
        CountDownLatch readStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        store.beforeRead = () -> {
            readStarted.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var rereader = pool.submit(() -> facts.inDomain("t", "ai", 500));
            assertThat(readStarted.await(10, TimeUnit.SECONDS)).isTrue();

            // The store is still answering the first query's read: these must not wait for it.
            for (int i = 0; i < 50; i++) {
                assertThat(pool.submit(() -> facts.inDomain("t", "ai", 500)).get(2, TimeUnit.SECONDS)).hasSize(1);
            }
            release.countDown();
            assertThat(rereader.get(10, TimeUnit.SECONDS)).hasSize(1);
        }
        assertThat(store.reads.get()).isEqualTo(2);
    }

    @Test
    void aFailedReadOfAnExpiredDomain_keepsTheOldCopyInUse() {
        store.target.add(fact("ai", "Machine learning learns from data."));
        assertThat(facts.inDomain("t", "ai", 500)).hasSize(1);
        clock.advance(Duration.ofSeconds(31));
        store.down = true;

        assertThat(facts.inDomain("t", "ai", 500)).hasSize(1);

        store.down = false;
        store.target.add(fact("ai", "A neural network has layers."));
        assertThat(facts.inDomain("t", "ai", 500)).hasSize(2);
    }

    private static final class CountingMemory implements SemanticMemory {
        final InMemorySemanticMemory target = new InMemorySemanticMemory();
        final AtomicInteger reads = new AtomicInteger();
        volatile boolean down;
        volatile Runnable beforeRead = () -> { };

        @Override
        public boolean add(Fact fact) {
            return target.add(fact);
        }

        @Override
        public List<Fact> inDomain(String tenant, String domain, int limit) {
            reads.incrementAndGet();
            if (down) {
                throw new DependencyUnavailableException("memory", new IllegalStateException("down"));
            }
            beforeRead.run();
            return target.inDomain(tenant, domain, limit);
        }

        @Override
        public Optional<Fact> get(String tenant, String domain, String id) {
            return target.get(tenant, domain, id);
        }
    }
}
