package io.cato.routing;

import io.cato.breaker.BreakerGuardedModelClient;
import io.cato.breaker.CircuitBreakers;
import io.cato.model.ModelClient;
import io.cato.model.Provider;
import io.cato.model.TierConfig;

/** A configured tier with the client that reaches it. */
public record Tier(TierConfig config, ModelClient client) {

    public String name() {
        return config.name();
    }

    /** This tier with its client behind its circuit breaker; the memory tier answers locally and is never guarded. */
    public Tier guardedBy(CircuitBreakers breakers) {
        if (config.provider() == Provider.MEMORY) {
            return this;
        }
        return new Tier(config, new BreakerGuardedModelClient(name(), client, breakers));
    }
}
