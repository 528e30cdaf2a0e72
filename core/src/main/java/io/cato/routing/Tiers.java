package io.cato.routing;

import io.cato.model.MemoryAnswerer;
import io.cato.model.Provider;
import io.cato.model.TierConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The deployed tiers and the fallback chain over them. Tiers without an endpoint are left out,
 * and the memory tier always closes the chain, so a chain can never run dry.
 */
public final class Tiers {
    private final List<Tier> chain;

    public Tiers(List<Tier> available, List<String> fallbackChain) {
        Map<String, Tier> byName = new LinkedHashMap<>();
        available.forEach(tier -> byName.put(tier.name(), tier));
        List<Tier> ordered = new ArrayList<>();
        for (String name : fallbackChain) {
            Tier tier = byName.get(name);
            if (tier != null && tier.config().enabled() && !ordered.contains(tier)) {
                ordered.add(tier);
            }
        }
        if (ordered.isEmpty() || ordered.getLast().config().provider() != Provider.MEMORY) {
            ordered.add(byName.values().stream().filter(t -> t.config().provider() == Provider.MEMORY).findFirst()
                    .orElseGet(Tiers::defaultMemoryTier));
        }
        this.chain = List.copyOf(ordered);
    }

    public static Tier defaultMemoryTier() {
        TierConfig config = TierConfig.builder().name(MemoryAnswerer.MODEL).provider(Provider.MEMORY)
                .modelId(MemoryAnswerer.MODEL).prices(TierConfig.Prices.FREE).timeout(java.time.Duration.ofSeconds(1))
                .contextWindow(32_000).historyBudget(16_000).maxOutputTokens(1_000).build();
        return new Tier(config, new MemoryAnswerer());
    }

    /** The tiers in the order they are tried. */
    public List<Tier> chain() {
        return chain;
    }
}
