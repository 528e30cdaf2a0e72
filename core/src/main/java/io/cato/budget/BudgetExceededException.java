package io.cato.budget;

import java.time.Duration;

/** Refused by a dollar budget (per day or per month): {@code 402 budget_exceeded}. */
public final class BudgetExceededException extends LimitExceededException {

    BudgetExceededException(Scope scope, Meter meter, long limit, Duration retryAfter, RateLimitStatus status) {
        super(scope, meter, limit, retryAfter, status);
    }
}
