package io.cato.routing;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How queries are sent to tiers.
 *
 * @param complexTier the tier a query the classifier calls complex goes to first
 * @param simpleTier the tier every other query goes to first
 * @param threshold the classifier's operating point; empty keeps the one shipped with its weights. Lower values send
 *     more queries to {@code complexTier}: more cost, fewer complex queries answered by the cheap tier
 * @param fallbackChains per first tier, the tiers tried after it; a tier not listed falls back along the global chain
 * @param autoModels values of a request's {@code model} that mean "route for me"
 */
public record RoutingSettings(String complexTier, String simpleTier, Optional<Double> threshold,
                              Map<String, List<String>> fallbackChains, List<String> autoModels) {

    public RoutingSettings {
        threshold.ifPresent(t -> {
            if (!(t >= 0 && t <= 1)) {
                throw new IllegalArgumentException("routing.threshold must be in [0, 1]");
            }
        });
        fallbackChains = Map.copyOf(fallbackChains);
        autoModels = List.copyOf(autoModels);
    }

    public static RoutingSettings defaults() {
        return new RoutingSettings("bedrock_sonnet", "bedrock_haiku", Optional.empty(), Map.of(),
                List.of("auto", "cato"));
    }

    /** The same settings with another accepted "route for me" model name. */
    public RoutingSettings withAutoModel(String model) {
        if (autoModels.contains(model)) {
            return this;
        }
        List<String> names = new java.util.ArrayList<>(autoModels);
        names.add(model);
        return new RoutingSettings(complexTier, simpleTier, threshold, fallbackChains, names);
    }
}
