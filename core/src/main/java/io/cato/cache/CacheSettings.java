package io.cato.cache;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How the semantic cache behaves in a deployment.
 *
 * @param falseHitBudget the share of different-question lookups that may be served a cached answer
 *     (default 1%); the verifier threshold is read off the dev curve at 90% of it, for margin
 * @param threshold an explicit verifier threshold, overriding the budget
 * @param minSimilarity neighbours below this cosine are not even shown to the verifier
 * @param candidates how many nearest neighbours the verifier judges per lookup
 * @param ttlByDomain time to live per domain; domains not listed use {@code defaultTtl}
 * @param maxEntries bound on the vector tier; beyond it the oldest entries are evicted
 * @param qualifiers words that add nothing after a proper name in this deployment (see {@link CacheText})
 */
public record CacheSettings(boolean enabled, double falseHitBudget, Optional<Double> threshold, double minSimilarity,
                            int candidates, Duration defaultTtl, Map<String, Duration> ttlByDomain, long maxEntries,
                            List<String> qualifiers) {

    public CacheSettings {
        if (falseHitBudget <= 0 || falseHitBudget >= 0.5) {
            throw new IllegalArgumentException("cache.false_hit_budget must be in (0, 0.5)");
        }
        if (candidates < 1 || candidates > 50) {
            throw new IllegalArgumentException("cache.candidates must be 1-50");
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("cache.max_entries must be positive");
        }
        ttlByDomain = Map.copyOf(ttlByDomain);
        qualifiers = List.copyOf(qualifiers);
    }

    public static CacheSettings defaults() {
        return builder().build();
    }

    public Duration ttlFor(String domain) {
        return ttlByDomain.getOrDefault(domain, defaultTtl);
    }

    /** Starts from the {@link #defaults()}; each part named replaces its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects the parts of the cache's settings by name. */
    public static final class Builder {
        private boolean enabled = true;
        private double falseHitBudget = 0.01;
        private Optional<Double> threshold = Optional.empty();
        private double minSimilarity = 0.5;
        private int candidates = 4;
        private Duration defaultTtl = Duration.ofDays(7);
        private Map<String, Duration> ttlByDomain = Map.of();
        private long maxEntries = 100_000;
        private List<String> qualifiers = List.of("programming language", "programming", "language");

        private Builder() {
        }

        public Builder enabled(boolean value) {
            this.enabled = value;
            return this;
        }

        public Builder falseHitBudget(double value) {
            this.falseHitBudget = value;
            return this;
        }

        public Builder threshold(Optional<Double> value) {
            this.threshold = value;
            return this;
        }

        public Builder minSimilarity(double value) {
            this.minSimilarity = value;
            return this;
        }

        public Builder candidates(int value) {
            this.candidates = value;
            return this;
        }

        public Builder defaultTtl(Duration value) {
            this.defaultTtl = value;
            return this;
        }

        public Builder ttlByDomain(Map<String, Duration> value) {
            this.ttlByDomain = value;
            return this;
        }

        public Builder maxEntries(long value) {
            this.maxEntries = value;
            return this;
        }

        public Builder qualifiers(List<String> value) {
            this.qualifiers = value;
            return this;
        }

        public CacheSettings build() {
            return new CacheSettings(enabled, falseHitBudget, threshold, minSimilarity, candidates, defaultTtl,
                    ttlByDomain, maxEntries, qualifiers);
        }
    }
}
