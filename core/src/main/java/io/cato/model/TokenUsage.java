package io.cato.model;

/** Tokens a call used, as the provider reported them (or estimated where it reports none). */
public record TokenUsage(int inputTokens, int outputTokens, int cachedInputTokens) {
    public static final TokenUsage NONE = new TokenUsage(0, 0, 0);
}
