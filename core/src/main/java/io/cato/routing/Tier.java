package io.cato.routing;

import io.cato.model.ModelClient;
import io.cato.model.TierConfig;

/** A configured tier with the client that reaches it. */
public record Tier(TierConfig config, ModelClient client) {

    public String name() {
        return config.name();
    }
}
