package io.cato.budget;

import java.time.Duration;

/** Refused by a requests-per-minute or tokens-per-minute limit: {@code 429 rate_limited}. */
public final class RateLimitedException extends LimitExceededException {

    RateLimitedException(Scope scope, Meter meter, long limit, Duration retryAfter, RateLimitStatus status) {
        super(scope, meter, limit, retryAfter, status);
    }
}
