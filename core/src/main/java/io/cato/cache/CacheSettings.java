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
        return new CacheSettings(true, 0.01, Optional.empty(), 0.5, 4, Duration.ofDays(7), Map.of(), 100_000,
                List.of("programming language", "programming", "language"));
    }

    public Duration ttlFor(String domain) {
        return ttlByDomain.getOrDefault(domain, defaultTtl);
    }
}
