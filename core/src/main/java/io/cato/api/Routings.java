package io.cato.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cato.routing.Answer;

/** How both APIs show a routing decision and what it used: {@code routing{...}} and {@code usage{...}}. */
final class Routings {
    private Routings() {
    }

    static ObjectNode render(ObjectMapper mapper, Answer answer) {
        ObjectNode routing = mapper.createObjectNode();
        routing.put("tier", answer.tier());
        routing.put("reason", answer.reason());
        answer.fallbackFrom().ifPresent(from -> routing.put("fallback_from", from));
        routing.put("degraded", answer.degraded());
        answer.classification().ifPresent(c -> routing.putObject("classifier")
                .put("complex", c.complex())
                .put("p_complex", Math.round(c.complexity() * 10_000) / 10_000.0)
                .put("domain", c.domain()));
        return routing;
    }

    static ObjectNode usage(ObjectMapper mapper, Answer answer) {
        ObjectNode usage = mapper.createObjectNode();
        usage.put("input_tokens", answer.usage().inputTokens());
        usage.put("output_tokens", answer.usage().outputTokens());
        usage.put("cached_input_tokens", answer.usage().cachedInputTokens());
        usage.put("cache_write_input_tokens", answer.usage().cacheWriteInputTokens());
        usage.put("cost_usd", answer.costUsd());
        return usage;
    }
}
