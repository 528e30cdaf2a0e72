package io.cato.model;

/**
 * Tokens a call used, as the provider reported them (or estimated where it reports none).
 *
 * @param inputTokens all input tokens, the cached ones included
 * @param cachedInputTokens input tokens read from the provider's prompt cache (inside {@code inputTokens})
 * @param cacheWriteInputTokens input tokens written to the provider's prompt cache (inside {@code inputTokens});
 *     providers that charge more for them (Bedrock's Claude models) price them apart
 */
public record TokenUsage(int inputTokens, int outputTokens, int cachedInputTokens, int cacheWriteInputTokens) {
    public static final TokenUsage NONE = new TokenUsage(0, 0, 0, 0);

    /** Usage without prompt cache writes: what OpenAI-compatible servers report. */
    public TokenUsage(int inputTokens, int outputTokens, int cachedInputTokens) {
        this(inputTokens, outputTokens, cachedInputTokens, 0);
    }

    /** Input tokens billed at the plain input price: neither read from nor written to a prompt cache. */
    public int uncachedInputTokens() {
        return Math.max(0, inputTokens - cachedInputTokens - cacheWriteInputTokens);
    }

    public int totalTokens() {
        return inputTokens + outputTokens;
    }
}
