package io.cato.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cato.config.SettingsLoader;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Prompt cache reads and writes are priced apart from plain input, each at its own price. */
class PricesTest {
    // Claude Sonnet on Bedrock: $3 in, $15 out, $0.30 cache read, $3.75 cache write, per million tokens.
    private static final TierConfig.Prices SONNET = new TierConfig.Prices(0.003, 0.015, 0.0003, 0.00375);

    @Test
    void cost_chargesReadsAtTheCachedPrice_writesAtTheWritePrice_andTheRestAtTheInputPrice() {
        TokenUsage usage = new TokenUsage(100 + 2000 + 1500, 300, 2000, 1500);

        double cost = SONNET.cost(usage);

        assertThat(usage.uncachedInputTokens()).isEqualTo(100);
        assertThat(cost).isCloseTo((100 * 0.003 + 2000 * 0.0003 + 1500 * 0.00375 + 300 * 0.015) / 1000, within(1e-12));
    }

    @Test
    void aTierWithoutAWritePrice_chargesWritesAsInput() {
        TierConfig.Prices prices = new TierConfig.Prices(0.001, 0.002, 0.0001);

        assertThat(prices.cacheWriteInputPer1k()).isEqualTo(0.001);
        assertThat(prices.cost(new TokenUsage(1000, 0, 0, 1000))).isCloseTo(0.001, within(1e-12));
    }

    @Test
    void settings_readTheWritePrice_andDefaultItToTheInputPrice() {
        String json = """
                {"tiers": [
                  {"name": "sonnet", "provider": "bedrock", "model_id": "m", "price_input_per_1k": 0.003,
                   "price_output_per_1k": 0.015, "price_cached_input_per_1k": 0.0003,
                   "price_cache_write_input_per_1k": 0.00375},
                  {"name": "plain", "provider": "openai", "model_id": "m", "price_input_per_1k": 0.002}],
                 "fallback_chain": ["sonnet", "plain"]}
                """;
        var tiers = new SettingsLoader(Map.of("CATO_CONFIG_JSON", json)).load(Optional.empty()).tiers();

        assertThat(tiers.get(0).prices()).isEqualTo(SONNET);
        assertThat(tiers.get(1).prices().cacheWriteInputPer1k()).isEqualTo(0.002);
    }
}
