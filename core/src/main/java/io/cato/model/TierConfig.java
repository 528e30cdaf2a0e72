package io.cato.model;

import java.time.Duration;
import java.util.Optional;

/**
 * A model tier as configuration: who serves it, what it costs and what it can hold.
 *
 * @param name the tier's name in routing decisions, metrics and responses
 * @param baseUrl where the provider listens; empty means the tier is not deployed here
 * @param apiKey the key sent to the provider, if it needs one
 * @param contextWindow tokens the model accepts, prompt and answer together
 * @param historyBudget tokens of conversation history sent with each query
 */
public record TierConfig(String name, Provider provider, String modelId, Optional<String> baseUrl,
                         Optional<String> apiKey, Prices prices, Duration timeout, int contextWindow,
                         int historyBudget, int maxOutputTokens) {

    /** Prices in US dollars per 1,000 tokens. */
    public record Prices(double inputPer1k, double outputPer1k, double cachedInputPer1k) {
        public static final Prices FREE = new Prices(0, 0, 0);

        public double cost(TokenUsage usage) {
            int uncached = Math.max(0, usage.inputTokens() - usage.cachedInputTokens());
            return (uncached * inputPer1k + usage.cachedInputTokens() * cachedInputPer1k
                    + usage.outputTokens() * outputPer1k) / 1000.0;
        }
    }

    public TierConfig {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a tier needs a name");
        }
        if (historyBudget < 0 || historyBudget + maxOutputTokens > contextWindow) {
            throw new IllegalArgumentException("tier " + name
                    + ": history_budget + max_output_tokens must fit in context_window");
        }
    }

    /** A tier is enabled when it can be reached: memory always, the others with an endpoint. */
    public boolean enabled() {
        return provider == Provider.MEMORY || baseUrl.isPresent();
    }
}
