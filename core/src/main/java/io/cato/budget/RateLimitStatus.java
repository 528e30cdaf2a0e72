package io.cato.budget;

import java.time.Duration;
import java.util.Optional;

/**
 * Where a caller stands against its request and token limits, as OpenAI's {@code x-ratelimit-*} headers tell it:
 * of the caller's scopes, the one with the least left.
 */
public record RateLimitStatus(Optional<Gauge> requests, Optional<Gauge> tokens) {
    public static final RateLimitStatus NONE = new RateLimitStatus(Optional.empty(), Optional.empty());

    /**
     * One limit's standing.
     *
     * @param resetIn time until the window turns and the limit starts afresh
     */
    public record Gauge(long limit, long remaining, Duration resetIn) {
        public Gauge {
            remaining = Math.max(0, Math.min(limit, remaining));
        }

        Gauge tighter(Gauge other) {
            return other.remaining < remaining ? other : this;
        }
    }

    RateLimitStatus withRequests(Gauge gauge) {
        return new RateLimitStatus(Optional.of(requests.map(g -> g.tighter(gauge)).orElse(gauge)), tokens);
    }

    RateLimitStatus withTokens(Gauge gauge) {
        return new RateLimitStatus(requests, Optional.of(tokens.map(g -> g.tighter(gauge)).orElse(gauge)));
    }
}
