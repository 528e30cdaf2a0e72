package io.cato.budget;

import java.time.Duration;

/**
 * A request refused by a limit. It names the scope and the limit, says when the limit resets, and carries where the
 * caller stands against its request and token limits, for the response's headers.
 */
public abstract sealed class LimitExceededException extends RuntimeException
        permits RateLimitedException, BudgetExceededException {
    private final Scope scope;
    private final Meter meter;
    private final Duration retryAfter;
    private final RateLimitStatus status;

    LimitExceededException(Scope scope, Meter meter, long limit, Duration retryAfter, RateLimitStatus status) {
        super(describe(scope, meter, limit));
        this.scope = scope;
        this.meter = meter;
        this.retryAfter = retryAfter;
        this.status = status;
    }

    public Scope scope() {
        return scope;
    }

    public Meter meter() {
        return meter;
    }

    /** Time until the limit's window turns. */
    public Duration retryAfter() {
        return retryAfter;
    }

    public RateLimitStatus status() {
        return status;
    }

    /** The message never repeats an end user's name: it may be an e-mail address, and messages reach logs. */
    private static String describe(Scope scope, Meter meter, long limit) {
        String who = switch (scope.kind()) {
            case TENANT -> "tenant '" + scope.tenant() + "'";
            case KEY -> "API key '" + scope.id() + "'";
            case USER -> "this user";
        };
        String amount = meter.dollars() ? "$" + Pricing.usd(limit).toPlainString() : Long.toString(limit);
        return who + " has reached its " + meter.field() + " limit (" + amount + ")";
    }
}
