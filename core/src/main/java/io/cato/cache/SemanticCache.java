package io.cato.cache;

import io.cato.embedding.Embedder;
import io.cato.embedding.EncodedQuery;
import io.cato.verifier.DuplicateVerifier;
import io.cato.verifier.VerifierThresholds;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The precision-first semantic cache: an exact tier (question form + scope, no embedding needed)
 * in front of a vector tier where a hit needs a near neighbour AND the learned duplicate verifier
 * to agree that both questions ask the same thing. A failing cache store never fails a query: the
 * lookup reports a miss and the query goes to a model.
 */
public final class SemanticCache {
    private static final Logger LOG = LoggerFactory.getLogger(SemanticCache.class);
    private static final int EVICT_EVERY_STORES = 256;

    /** What a lookup found. */
    public sealed interface Lookup {
    }

    /** A cached answer may be served. {@code tier} is "exact" or "vector". */
    public record Hit(String entryId, String tier, String answer, String model, String answeredBy, Instant createdAt,
                      Duration age, double similarity, double verifierScore) implements Lookup {

        /** Starts a cache hit named part by named part. */
        public static Builder builder() {
            return new Builder();
        }

        /** Collects the parts of a cache hit by name. */
        public static final class Builder {
            private String entryId;
            private String tier;
            private String answer;
            private String model;
            private String answeredBy;
            private Instant createdAt;
            private Duration age;
            private double similarity;
            private double verifierScore;

            private Builder() {
            }

            public Builder entryId(String value) {
                this.entryId = value;
                return this;
            }

            public Builder tier(String value) {
                this.tier = value;
                return this;
            }

            public Builder answer(String value) {
                this.answer = value;
                return this;
            }

            public Builder model(String value) {
                this.model = value;
                return this;
            }

            public Builder answeredBy(String value) {
                this.answeredBy = value;
                return this;
            }

            public Builder createdAt(Instant value) {
                this.createdAt = value;
                return this;
            }

            public Builder age(Duration value) {
                this.age = value;
                return this;
            }

            public Builder similarity(double value) {
                this.similarity = value;
                return this;
            }

            public Builder verifierScore(double value) {
                this.verifierScore = value;
                return this;
            }

            public Hit build() {
                return new Hit(entryId, tier, answer, model, answeredBy, createdAt, age, similarity, verifierScore);
            }
        }
    }

    /** The reason of a miss after a full lookup: neither tier had an answer for the question. */
    public static final String NO_MATCH = "no_match";

    /**
     * Nothing to serve; {@code encoding} is the question's encoding when one was computed, for
     * {@link #store}; {@code bestScore} the highest verifier score among the candidates (0 when none).
     */
    public record Miss(Optional<EncodedQuery> encoding, String reason, double bestScore) implements Lookup {
    }

    /** The query may not use the shared cache at all. */
    public record Bypass(CacheEligibility.Reason reason) implements Lookup {
    }

    private final Embedder embedder;
    private final DuplicateVerifier verifier;
    private final ExactCache exact;
    private final VectorIndex index;
    private final CacheSettings settings;
    private final CacheText text;
    private final Clock clock;
    private final CacheStats stats = new CacheStats();
    private final AtomicLong storesSinceEviction = new AtomicLong();

    public SemanticCache(Embedder embedder, DuplicateVerifier verifier, ExactCache exact, VectorIndex index,
                         CacheSettings settings, Clock clock) {
        this.embedder = embedder;
        this.verifier = settings.threshold().map(verifier::withThreshold)
                .orElseGet(() -> verifier.withThreshold(VerifierThresholds.shipped().forBudget(settings.falseHitBudget())));
        this.exact = exact;
        this.index = index;
        this.settings = settings;
        this.text = new CacheText(settings.qualifiers());
        this.clock = clock;
    }

    public CacheSettings settings() {
        return settings;
    }

    public double threshold() {
        return verifier.threshold();
    }

    public CacheStats stats() {
        return stats;
    }

    /** The id an answer to {@code question} in {@code scope} is kept under, in both tiers. */
    public String entryId(CacheScope scope, String question) {
        return CacheScope.sha256(scope.key() + '\u0000' + text.exactForm(question)).substring(0, 32);
    }

    /**
     * Looks for a cached answer.
     *
     * @param conversationHasTurns whether the question follows earlier turns of its conversation
     */
    public Lookup lookup(CacheScope scope, String question, boolean conversationHasTurns) {
        if (!settings.enabled()) {
            return new Miss(Optional.empty(), "disabled", 0);
        }
        Optional<CacheEligibility.Reason> notShared = CacheEligibility.whyNotShared(question, conversationHasTurns);
        if (notShared.isPresent()) {
            stats.bypass();
            return new Bypass(notShared.get());
        }
        long started = System.nanoTime();
        Instant now = clock.instant();
        String id = entryId(scope, question);
        try {
            Optional<ExactCache.Entry> found = exact.get(id, now);
            if (found.isPresent()) {
                ExactCache.Entry e = found.get();
                stats.hit("exact", System.nanoTime() - started);
                return Hit.builder().entryId(e.id()).tier("exact").answer(e.answer()).model(e.model())
                        .answeredBy(e.tier()).createdAt(e.createdAt()).age(age(e.createdAt(), now)).similarity(1.0)
                        .verifierScore(1.0).build();
            }
        } catch (RuntimeException e) {
            LOG.warn("exact cache tier unavailable; treating the lookup as a miss", e);
            stats.error();
        }
        EncodedQuery query = embedder.encode(text.reduce(question));
        double best = 0;
        try {
            for (VectorIndex.Neighbour n : index.nearest(query.pooled(), scope.key(), settings.candidates(), now)) {
                if (n.similarity() < settings.minSimilarity()) {
                    break;
                }
                EncodedQuery stored = decode(n.entry().encoding());
                double score = verifier.score(stored, query);
                best = Math.max(best, score);
                if (score >= verifier.threshold()) {
                    CacheEntry e = n.entry();
                    stats.hit("vector", System.nanoTime() - started);
                    return Hit.builder().entryId(e.id()).tier("vector").answer(e.answer()).model(e.model())
                            .answeredBy(e.tier()).createdAt(e.createdAt()).age(age(e.createdAt(), now))
                            .similarity(n.similarity()).verifierScore(score).build();
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("vector cache tier unavailable; treating the lookup as a miss", e);
            stats.error();
            return new Miss(Optional.of(query), "cache_unavailable", best);
        }
        stats.miss(System.nanoTime() - started);
        return new Miss(Optional.of(query), NO_MATCH, best);
    }

    /**
     * Keeps an answer for later lookups in the same scope. Call only for answers a model produced
     * successfully; never for failures, refusals or the memory tier.
     */
    public void store(CacheScope scope, String question, Optional<EncodedQuery> encoding, String answer, String model,
                      String tier) {
        if (!settings.enabled() || CacheEligibility.whyNotShared(question, false).isPresent()) {
            return;
        }
        Instant now = clock.instant();
        Instant expires = now.plus(settings.ttlFor(scope.domain()));
        String id = entryId(scope, question);
        String reduced = text.reduce(question);
        EncodedQuery encoded = encoding.filter(e -> e.text().equals(reduced)).orElseGet(() -> embedder.encode(reduced));
        try {
            exact.put(new ExactCache.Entry(id, scope.domain(), answer, model, tier, now, expires));
            index.put(CacheEntry.builder().id(id).scope(scope).question(question).answer(answer).model(model)
                    .tier(tier).createdAt(now).expiresAt(expires).vector(encoded.pooled()).encoding(encode(encoded))
                    .build());
            stats.stored();
            if (storesSinceEviction.incrementAndGet() >= EVICT_EVERY_STORES) {
                storesSinceEviction.set(0);
                evict();
            }
        } catch (RuntimeException e) {
            LOG.warn("could not store an answer in the cache", e);
            stats.error();
        }
    }

    /** Drops expired entries and the oldest beyond the size bound; returns how many went. */
    public long evict() {
        long removed = index.evict(clock.instant(), settings.maxEntries());
        stats.evicted(removed);
        return removed;
    }

    public boolean purgeEntry(String id) {
        boolean fromExact = exact.delete(id);
        boolean fromIndex = index.delete(id);
        return fromExact || fromIndex;
    }

    /** Removes every entry of a domain from both tiers; returns how many entries the vector tier held. */
    public long purgeDomain(String domain) {
        long fromExact = exact.deleteDomain(domain);
        long fromIndex = index.deleteDomain(domain);
        return Math.max(fromExact, fromIndex);
    }

    public long size() {
        return index.size();
    }

    private static Duration age(Instant created, Instant now) {
        Duration age = Duration.between(created, now);
        return age.isNegative() ? Duration.ZERO : age;
    }

    static byte[] encode(EncodedQuery query) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(query.serializedSize());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            query.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static EncodedQuery decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return EncodedQuery.readFrom(in);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable cache entry", e);
        }
    }
}
