package io.cato.model;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A model tier as configuration: who serves it, what it costs and what it can hold.
 *
 * @param name the tier's name in routing decisions, metrics and responses
 * @param modelId the provider's model id; for SageMaker, the endpoint name
 * @param baseUrl where an OpenAI-compatible provider listens; empty means such a tier is not deployed here
 * @param apiKey the key sent to the provider, if it needs one
 * @param contextWindow tokens the model accepts, prompt and answer together
 * @param historyBudget tokens of conversation history sent with each query
 * @param region the AWS region of a Bedrock or SageMaker tier; empty means the SDK's default
 * @param endpoint an endpoint override for a Bedrock or SageMaker tier (a stub in tests)
 * @param promptCacheMinTokens the model's minimum prompt cache checkpoint; 0 turns prompt caching off
 * @param capabilities what the tier takes beyond plain text (tools, images, structured output); requests needing
 *     more are sent only to tiers that declare it
 */
public record TierConfig(String name, Provider provider, String modelId, Optional<String> baseUrl,
                         Optional<String> apiKey, Prices prices, Duration timeout, int contextWindow,
                         int historyBudget, int maxOutputTokens, Optional<String> region, Optional<URI> endpoint,
                         int promptCacheMinTokens, Set<Capability> capabilities) {

    /** Bedrock's smallest cache checkpoint (Claude Sonnet); Haiku needs 2,048, some models 4,096. */
    public static final int DEFAULT_PROMPT_CACHE_MIN_TOKENS = 1024;

    /**
     * Prices in US dollars per 1,000 tokens.
     *
     * @param cachedInputPer1k input read from the provider's prompt cache
     * @param cacheWriteInputPer1k input written to the provider's prompt cache (Bedrock's Claude models: 1.25 times
     *     the input price for the five-minute cache)
     */
    public record Prices(double inputPer1k, double outputPer1k, double cachedInputPer1k, double cacheWriteInputPer1k) {
        public static final Prices FREE = new Prices(0, 0, 0, 0);

        /** Prices of a provider that charges cache writes as plain input. */
        public Prices(double inputPer1k, double outputPer1k, double cachedInputPer1k) {
            this(inputPer1k, outputPer1k, cachedInputPer1k, inputPer1k);
        }

        public double cost(TokenUsage usage) {
            return (usage.uncachedInputTokens() * inputPer1k + usage.cachedInputTokens() * cachedInputPer1k
                    + usage.cacheWriteInputTokens() * cacheWriteInputPer1k + usage.outputTokens() * outputPer1k)
                    / 1000.0;
        }

        /** Whether every call on the tier costs nothing (the memory tier, a self-hosted model priced at zero). */
        public boolean free() {
            return inputPer1k == 0 && outputPer1k == 0 && cachedInputPer1k == 0 && cacheWriteInputPer1k == 0;
        }
    }

    public TierConfig {
        capabilities = capabilities == null ? Capability.defaultsFor(provider) : Set.copyOf(capabilities);
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a tier needs a name");
        }
        if (historyBudget < 0 || historyBudget + maxOutputTokens > contextWindow) {
            throw new IllegalArgumentException("tier " + name
                    + ": history_budget + max_output_tokens must fit in context_window");
        }
        if (promptCacheMinTokens < 0) {
            throw new IllegalArgumentException("tier " + name + ": prompt_cache_min_tokens must not be negative");
        }
        if ((provider == Provider.BEDROCK || provider == Provider.SAGEMAKER) && (modelId == null || modelId.isBlank())) {
            throw new IllegalArgumentException("tier " + name + ": a " + provider.name().toLowerCase(Locale.ROOT)
                    + " tier needs a model_id");
        }
    }

    /** Whether the tier takes everything in {@code needed}. */
    public boolean supports(Set<Capability> needed) {
        return capabilities.containsAll(needed);
    }

    /**
     * A tier is enabled when it can be reached: memory always, Bedrock and SageMaker through AWS
     * endpoint resolution, an OpenAI-compatible server once it has a base URL.
     */
    public boolean enabled() {
        return switch (provider) {
            case MEMORY, BEDROCK, SAGEMAKER -> true;
            case OPENAI -> baseUrl.isPresent();
        };
    }

    /**
     * Starts a tier's configuration named part by named part. Parts left unset: no base URL, API key, region or
     * endpoint override, the default prompt cache minimum and the provider's default capabilities.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects the parts of a tier's configuration by name. */
    public static final class Builder {
        private String name;
        private Provider provider;
        private String modelId;
        private Optional<String> baseUrl = Optional.empty();
        private Optional<String> apiKey = Optional.empty();
        private Prices prices;
        private Duration timeout;
        private int contextWindow;
        private int historyBudget;
        private int maxOutputTokens;
        private Optional<String> region = Optional.empty();
        private Optional<URI> endpoint = Optional.empty();
        private int promptCacheMinTokens = DEFAULT_PROMPT_CACHE_MIN_TOKENS;
        private Set<Capability> capabilities; // null: the provider's defaults

        private Builder() {
        }

        public Builder name(String value) {
            this.name = value;
            return this;
        }

        public Builder provider(Provider value) {
            this.provider = value;
            return this;
        }

        public Builder modelId(String value) {
            this.modelId = value;
            return this;
        }

        public Builder baseUrl(Optional<String> value) {
            this.baseUrl = value;
            return this;
        }

        public Builder apiKey(Optional<String> value) {
            this.apiKey = value;
            return this;
        }

        public Builder prices(Prices value) {
            this.prices = value;
            return this;
        }

        public Builder timeout(Duration value) {
            this.timeout = value;
            return this;
        }

        public Builder contextWindow(int value) {
            this.contextWindow = value;
            return this;
        }

        public Builder historyBudget(int value) {
            this.historyBudget = value;
            return this;
        }

        public Builder maxOutputTokens(int value) {
            this.maxOutputTokens = value;
            return this;
        }

        public Builder region(Optional<String> value) {
            this.region = value;
            return this;
        }

        public Builder endpoint(Optional<URI> value) {
            this.endpoint = value;
            return this;
        }

        public Builder promptCacheMinTokens(int value) {
            this.promptCacheMinTokens = value;
            return this;
        }

        public Builder capabilities(Set<Capability> value) {
            this.capabilities = value;
            return this;
        }

        public TierConfig build() {
            return new TierConfig(name, provider, modelId, baseUrl, apiKey, prices, timeout, contextWindow,
                    historyBudget, maxOutputTokens, region, endpoint, promptCacheMinTokens, capabilities);
        }
    }
}
