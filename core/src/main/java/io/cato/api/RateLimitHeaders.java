package io.cato.api;

import io.cato.budget.BudgetExceededException;
import io.cato.budget.LimitExceededException;
import io.cato.budget.RateLimitStatus;
import io.cato.routing.Orchestrator;
import java.time.Duration;

/**
 * The headers OpenAI clients read to pace themselves: {@code x-ratelimit-limit-requests},
 * {@code x-ratelimit-remaining-requests}, {@code x-ratelimit-reset-requests} (a duration such as {@code 1s},
 * {@code 6m0s} or {@code 12ms}) and the same three for tokens, on every answer of a caller with such limits; and on
 * a refusal {@code retry-after} (whole seconds until the limit's window turns). A spent dollar budget also says
 * {@code x-should-retry: false}: it does not come back within a client's retries, and OpenAI's SDKs obey the header.
 */
final class RateLimitHeaders {
    private RateLimitHeaders() {
    }

    /** A refusal's stable code: {@code rate_limited} (429) or {@code budget_exceeded} (402). */
    static ErrorCode codeOf(LimitExceededException refusal) {
        return refusal instanceof BudgetExceededException ? ErrorCode.BUDGET_EXCEEDED : ErrorCode.RATE_LIMITED;
    }

    static ApiResponse refusal(ApiResponse response, LimitExceededException refusal) {
        long seconds = Math.max(1, (refusal.retryAfter().toMillis() + 999) / 1000);
        ApiResponse out = on(response, refusal.status()).withHeader("retry-after", Long.toString(seconds));
        return refusal instanceof BudgetExceededException ? out.withHeader("x-should-retry", "false") : out;
    }

    /** The answer with its caller's standing against request and token limits, when it has such limits. */
    static ApiResponse on(ApiResponse response, Orchestrator.Prepared prepared) {
        return on(response, prepared.admission().status());
    }

    static ApiResponse on(ApiResponse response, RateLimitStatus status) {
        ApiResponse out = response;
        if (status.requests().isPresent()) {
            RateLimitStatus.Gauge g = status.requests().get();
            out = out.withHeader("x-ratelimit-limit-requests", Long.toString(g.limit()))
                    .withHeader("x-ratelimit-remaining-requests", Long.toString(g.remaining()))
                    .withHeader("x-ratelimit-reset-requests", duration(g.resetIn()));
        }
        if (status.tokens().isPresent()) {
            RateLimitStatus.Gauge g = status.tokens().get();
            out = out.withHeader("x-ratelimit-limit-tokens", Long.toString(g.limit()))
                    .withHeader("x-ratelimit-remaining-tokens", Long.toString(g.remaining()))
                    .withHeader("x-ratelimit-reset-tokens", duration(g.resetIn()));
        }
        return out;
    }

    /** A duration as OpenAI writes it (Go's format): {@code 12ms}, {@code 1s}, {@code 27.5s}, {@code 6m0s}, {@code 1h0m0s}. */
    static String duration(Duration value) {
        long millis = Math.max(0, value.toMillis());
        if (millis < 1000) {
            return millis + "ms";
        }
        long hours = millis / 3_600_000;
        long minutes = millis / 60_000 % 60;
        long seconds = millis / 1000 % 60;
        long fraction = millis % 1000;
        StringBuilder out = new StringBuilder();
        if (hours > 0) {
            out.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            out.append(minutes).append('m');
        }
        out.append(seconds);
        if (fraction > 0) {
            out.append('.').append(String.format("%03d", fraction).replaceAll("0+$", ""));
        }
        return out.append('s').toString();
    }
}
