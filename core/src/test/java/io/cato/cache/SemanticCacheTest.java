package io.cato.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.cato.embedding.MiniLmTokenEncoder;
import io.cato.testing.MutableClock;
import io.cato.verifier.DuplicateVerifier;
import io.cato.verifier.VerifierThresholds;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cache path with the real MiniLM model, the shipped verifier and the in-process vector index. */
class SemanticCacheTest {
    private static MiniLmTokenEncoder embedder;
    private static DuplicateVerifier verifier;

    private final MutableClock clock = new MutableClock(Instant.now());
    private InMemoryVectorIndex index;
    private InMemoryExactCache exact;
    private SemanticCache cache;
    private final CacheScope scope = CacheScope.of("tenant-a", "general", CacheScope.AUTO_MODEL, null);

    @BeforeAll
    static void loadModels() {
        embedder = MiniLmTokenEncoder.load(1);
        verifier = DuplicateVerifier.loadDefault();
    }

    @AfterAll
    static void closeModels() {
        embedder.close();
    }

    @BeforeEach
    void newCache() {
        index = new InMemoryVectorIndex();
        exact = new InMemoryExactCache(1000);
        cache = new SemanticCache(embedder, verifier, exact, index, CacheSettings.defaults(), clock);
    }

    private void store(CacheScope in, String question, String answer) {
        cache.store(in, question, Optional.empty(), answer, "model-1", "bedrock_haiku");
    }

    @Test
    void theRunbookCaseServesTheQualifiedQuestionAndNotAnotherLanguage() {
        store(scope, "What is Python?", "Python is a programming language.");

        assertThat(cache.lookup(scope, "What is Python programming?", false))
                .isInstanceOfSatisfying(SemanticCache.Hit.class, hit -> {
                    assertThat(hit.answer()).isEqualTo("Python is a programming language.");
                    assertThat(hit.answeredBy()).isEqualTo("bedrock_haiku");
                });
        assertThat(cache.lookup(scope, "What is Java?", false)).isInstanceOf(SemanticCache.Miss.class);
    }

    @Test
    void anIdenticalQuestionUpToCaseSpacingAndPunctuationIsAnExactHit() {
        store(scope, "How do I reverse a list in Python?", "Use reversed() or list.reverse().");

        SemanticCache.Lookup lookup = cache.lookup(scope, "  how do I reverse a list in python  ", false);

        assertThat(lookup).isInstanceOfSatisfying(SemanticCache.Hit.class,
                hit -> assertThat(hit.tier()).isEqualTo("exact"));
    }

    @Test
    void aParaphraseIsAVectorHitConfirmedByTheVerifier() {
        store(scope, "How can I lose weight fast?", "Eat less, move more.");

        SemanticCache.Lookup lookup = cache.lookup(scope, "How do I lose weight quickly?", false);

        assertThat(lookup).isInstanceOfSatisfying(SemanticCache.Hit.class, hit -> {
            assertThat(hit.tier()).isEqualTo("vector");
            assertThat(hit.verifierScore()).isGreaterThanOrEqualTo(cache.threshold());
        });
    }

    @Test
    void aChangedNumberEntityOrNegationIsNotServed() {
        store(scope, "What is 2+2?", "4");
        store(scope, "What is the capital of France?", "Paris");
        store(scope, "Is coffee good for your health?", "In moderation, mostly yes.");

        assertThat(cache.lookup(scope, "What is 2+3?", false)).isInstanceOf(SemanticCache.Miss.class);
        assertThat(cache.lookup(scope, "What is the capital of Germany?", false)).isInstanceOf(SemanticCache.Miss.class);
        assertThat(cache.lookup(scope, "Why is coffee bad for your health?", false))
                .isInstanceOf(SemanticCache.Miss.class);
    }

    @Test
    void anotherScopeNeverSeesTheAnswer() {
        store(scope, "What is Python?", "Python is a programming language.");

        for (CacheScope other : List.of(
                CacheScope.of("tenant-b", "general", CacheScope.AUTO_MODEL, null),
                CacheScope.of("tenant-a", "zoology", CacheScope.AUTO_MODEL, null),
                CacheScope.of("tenant-a", "general", "bedrock_sonnet", null),
                CacheScope.of("tenant-a", "general", CacheScope.AUTO_MODEL, "Answer like a pirate."))) {
            assertThat(cache.lookup(other, "What is Python?", false)).as(other.toString())
                    .isInstanceOf(SemanticCache.Miss.class);
        }
    }

    @Test
    void followUpsAreNeitherLookedUpNorStored() {
        store(scope, "What is Python?", "Python is a programming language.");

        assertThat(cache.lookup(scope, "and in Python?", true)).isInstanceOf(SemanticCache.Bypass.class);
        assertThat(cache.lookup(scope, "What did I just say?", false)).isInstanceOf(SemanticCache.Bypass.class);

        store(scope, "What did I just say?", "You asked about Python.");
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void entriesExpireAfterTheirDomainsTimeToLive() {
        Map<String, Duration> ttl = Map.of("news-ish", Duration.ofMinutes(5));
        CacheSettings settings = CacheSettings.builder().enabled(true).falseHitBudget(0.01)
                .threshold(Optional.empty()).minSimilarity(0.5).candidates(4).defaultTtl(Duration.ofDays(7))
                .ttlByDomain(ttl).maxEntries(1000).qualifiers(List.of()).build();
        cache = new SemanticCache(embedder, verifier, exact, index, settings, clock);
        CacheScope shortLived = CacheScope.of("tenant-a", "news-ish", CacheScope.AUTO_MODEL, null);
        store(shortLived, "Who won the 2018 World Cup?", "France.");
        store(scope, "Who won the 2018 World Cup?", "France.");

        clock.advance(Duration.ofMinutes(6));

        assertThat(cache.lookup(shortLived, "Who won the 2018 World Cup?", false)).isInstanceOf(SemanticCache.Miss.class);
        assertThat(cache.lookup(scope, "Who won the 2018 World Cup?", false)).isInstanceOf(SemanticCache.Hit.class);
    }

    @Test
    void purgesOneEntryOrAWholeDomain() {
        CacheScope other = CacheScope.of("tenant-a", "cooking", CacheScope.AUTO_MODEL, null);
        store(scope, "What is Python?", "A language.");
        store(scope, "What is Rust?", "A language.");
        store(other, "How long do I boil an egg?", "Nine minutes.");

        assertThat(cache.purgeEntry(cache.entryId(scope, "What is Python?"))).isTrue();
        assertThat(cache.lookup(scope, "What is Python?", false)).isInstanceOf(SemanticCache.Miss.class);
        assertThat(cache.purgeDomain("cooking")).isEqualTo(1);
        assertThat(cache.lookup(other, "How long do I boil an egg?", false)).isInstanceOf(SemanticCache.Miss.class);
        assertThat(cache.lookup(scope, "What is Rust?", false)).isInstanceOf(SemanticCache.Hit.class);
    }

    @Test
    void keepsAtMostTheConfiguredNumberOfEntries() {
        CacheSettings settings = CacheSettings.builder().enabled(true).falseHitBudget(0.01)
                .threshold(Optional.empty()).minSimilarity(0.5).candidates(4).defaultTtl(Duration.ofDays(7))
                .ttlByDomain(Map.of()).maxEntries(3).qualifiers(List.of()).build();
        cache = new SemanticCache(embedder, verifier, exact, index, settings, clock);
        for (String q : List.of("What is Go?", "What is Rust?", "What is Kotlin?", "What is Scala?", "What is Ruby?")) {
            store(scope, q, "A language.");
            clock.advance(Duration.ofSeconds(1));
        }

        assertThat(cache.evict()).isEqualTo(2);
        assertThat(cache.size()).isEqualTo(3);
    }

    @Test
    void aFailingIndexTurnsLookupsIntoMissesAndStoresIntoNoOps() {
        store(scope, "What is Python?", "A language.");
        index.close();
        exact.delete(cache.entryId(scope, "What is Python?"));

        assertThat(cache.lookup(scope, "What is Python programming language?", false))
                .isInstanceOfSatisfying(SemanticCache.Miss.class, miss -> assertThat(miss.reason())
                        .isEqualTo("cache_unavailable"));
        store(scope, "What is Rust?", "A language.");
        assertThat(cache.stats().snapshot().get("errors")).isEqualTo(2L);
        index = new InMemoryVectorIndex();
    }

    @Test
    void theDefaultBudgetUsesTheShippedOperatingPoint() {
        assertThat(cache.threshold()).isEqualTo(0.851543);
        assertThat(VerifierThresholds.shipped().forBudget(0.02)).isBetween(0.774336, 0.844250);
    }
}
