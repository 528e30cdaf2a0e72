package io.cato.budget;

import io.cato.model.ChatMessage;
import io.cato.model.ModelRequest;
import io.cato.model.TierConfig;
import io.cato.model.TokenUsage;
import io.cato.model.TokenEstimator;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * What a call costs in nanodollars, exactly: prices per 1,000 tokens are read as the decimals they were written as,
 * and one rounding happens per call, so a budget's sum is the priced usage to the nanodollar.
 */
public final class Pricing {
    /** Nanodollars per token, for a price in US dollars per 1,000 tokens. */
    private static final int PER_1K_TO_NANOS_PER_TOKEN = 6;

    private Pricing() {
    }

    /** The cost of a call's reported usage. */
    public static long nanos(TierConfig.Prices prices, TokenUsage usage) {
        BigDecimal total = per(prices.inputPer1k(), usage.uncachedInputTokens())
                .add(per(prices.cachedInputPer1k(), usage.cachedInputTokens()))
                .add(per(prices.cacheWriteInputPer1k(), usage.cacheWriteInputTokens()))
                .add(per(prices.outputPer1k(), usage.outputTokens()));
        return total.setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    /**
     * What to reserve before a call: its prompt, estimated and raised by {@code promptMargin}, at the dearer of the
     * input and cache-write prices, and the longest answer the call may give at the output price. The call's reported
     * cost stays below it unless the prompt was under-estimated by more than the margin.
     */
    public static long estimate(TierConfig tier, ModelRequest request, double promptMargin) {
        long prompt = (long) Math.ceil(promptTokens(request) * promptMargin);
        int answer = Math.min(request.maxTokens(), tier.maxOutputTokens());
        TierConfig.Prices prices = tier.prices();
        BigDecimal total = per(Math.max(prices.inputPer1k(), prices.cacheWriteInputPer1k()), prompt)
                .add(per(prices.outputPer1k(), answer));
        return total.setScale(0, RoundingMode.CEILING).longValueExact();
    }

    /** The request's prompt in tokens, as {@link TokenEstimator} counts them. */
    public static int promptTokens(ModelRequest request) {
        int tokens = request.system() == null ? 0 : TokenEstimator.estimateMessage(request.system());
        for (ChatMessage message : request.messages()) {
            tokens += TokenEstimator.estimateMessage(message.content());
        }
        return tokens;
    }

    /** US dollars for nanodollars, for display. */
    public static BigDecimal usd(long nanos) {
        return BigDecimal.valueOf(nanos, 9).stripTrailingZeros();
    }

    private static BigDecimal per(double pricePer1k, long tokens) {
        return BigDecimal.valueOf(pricePer1k).movePointRight(PER_1K_TO_NANOS_PER_TOKEN).multiply(BigDecimal.valueOf(tokens));
    }
}
