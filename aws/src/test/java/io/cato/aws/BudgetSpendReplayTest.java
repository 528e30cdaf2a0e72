package io.cato.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cato.api.ApiRequest;
import io.cato.api.ApiResponse;
import io.cato.api.CatoApi;
import io.cato.config.Json;
import io.cato.aws.testing.BedrockStub;
import io.cato.aws.testing.DynamoDbLocal;
import io.cato.config.Settings;
import io.cato.config.SettingsLoader;
import io.cato.rollout.FixedRolloutFlag;
import io.cato.testing.MutableClock;
import io.cato.testing.OpenAiStub;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a tenant spent, as the budget counts it, equals the usage the providers reported priced by the tier table:
 * over a replayed mix of whole and streamed answers, from Bedrock (the real SDK against the Converse stub, with
 * prompt cache reads and writes) and from an OpenAI-compatible server (streamed usage in its final chunk, cached
 * prompt tokens in {@code prompt_tokens_details}).
 */
class BudgetSpendReplayTest {
    private static final DynamoDbLocal DYNAMO = new DynamoDbLocal();
    private static final String PER_1K_IN = "0.0008";
    private static final String PER_1K_OUT = "0.004";
    private static final String PER_1K_CACHE_READ = "0.00008";
    private static final String PER_1K_CACHE_WRITE = "0.001";
    private static final String VLLM_IN = "0.0005";
    private static final String VLLM_OUT = "0.0015";
    private static final String VLLM_CACHED = "0.00025";
    private static final String CONFIG = """
            {"tiers": [
              {"name": "bedrock_haiku", "provider": "bedrock", "model_id": "anthropic.claude-haiku-4-5-20251001-v1:0",
               "region": "us-east-1", "endpoint": "%s", "context_window": 200000, "history_budget": 16000,
               "max_output_tokens": 4096, "price_input_per_1k": %s, "price_output_per_1k": %s,
               "price_cached_input_per_1k": %s, "price_cache_write_input_per_1k": %s},
              {"name": "vllm", "provider": "openai", "model_id": "llama", "base_url": "%s",
               "price_input_per_1k": %s, "price_output_per_1k": %s, "price_cached_input_per_1k": %s},
              {"name": "memory", "provider": "memory", "model_id": "memory",
               "context_window": 32000, "history_budget": 16000, "max_output_tokens": 1000}],
             "fallback_chain": ["bedrock_haiku", "vllm", "memory"],
             "budgets": {"defaults": {"tenant": {"usd_per_day": 1000}}}}
            """;

    private final BedrockStub bedrock = new BedrockStub();
    private final OpenAiStub vllm = new OpenAiStub().answering("a streamed answer in pieces").model("llama");

    /** One replayed request: which tier, whether streamed, and the usage its provider reports. */
    private record Call(String tier, boolean stream, int input, int output, int cacheRead, int cacheWrite) {
    }

    @AfterEach
    void stopStubs() {
        assertThat(bedrock.violations()).isEmpty();
        bedrock.close();
        vllm.close();
    }

    @AfterAll
    static void stop() {
        DYNAMO.close();
    }

    @Test
    void spendOfAReplayedMix_equalsTheReportedUsagePricedByTheTierTable_toTheCent() {
        Settings.Tables tables = DYNAMO.freshTables();
        Settings settings = new SettingsLoader(Map.of("CATO_CONFIG_JSON", CONFIG.formatted(bedrock.endpoint(),
                PER_1K_IN, PER_1K_OUT, PER_1K_CACHE_READ, PER_1K_CACHE_WRITE, vllm.baseUrl(), VLLM_IN, VLLM_OUT,
                VLLM_CACHED), "CATO_ADMIN_TOKEN", "admin", "CATO_SESSIONS_TABLE", tables.sessions(),
                "CATO_IDEMPOTENCY_TABLE", tables.idempotency(), "CATO_BREAKERS_TABLE", tables.breakers(),
                "CATO_BUDGETS_TABLE", tables.budgets())).load(Optional.empty());
        CatoApi api = new DynamoDbComponents(settings, DYNAMO.client(), Json.newMapper(), MutableClock.atTheStartOfAMinute())
                .api(new FixedRolloutFlag(100), ModelClients.httpClient(false, 1), DynamoDbComponents.Extras.NONE);

        BigDecimal expected = BigDecimal.ZERO;
        BigDecimal reported = BigDecimal.ZERO;
        for (Call call : mix()) {
            JsonNode usage = send(api, call);
            expected = expected.add(priced(call));
            reported = reported.add(usage.path("cost_usd").decimalValue());
        }
        BigDecimal spent = usage(api).path("usage").path("usd_per_day").path("spent_usd").decimalValue();

        assertThat(spent.setScale(2, RoundingMode.HALF_UP)).isEqualTo(expected.setScale(2, RoundingMode.HALF_UP));
        assertThat(spent).as("and to the nanodollar").isEqualByComparingTo(expected);
        assertThat(reported.subtract(expected).abs()).as("the answers' own cost_usd")
                .isLessThan(new BigDecimal("0.000000001"));
        assertThat(usage(api).path("usage").path("usd_per_day").path("reserved_usd").decimalValue()).isZero();
    }

    /** Whole and streamed answers from both tiers, with and without prompt cache reads and writes. */
    private static List<Call> mix() {
        List<Call> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            calls.add(new Call("bedrock_haiku", i % 2 == 1, 120 + 37 * i, 40 + 11 * i, 0, 0));
            calls.add(new Call("bedrock_haiku", i % 2 == 0, 15 + i, 220 + 5 * i, 4096 + 100 * i, 0));
            calls.add(new Call("bedrock_haiku", i % 2 == 1, 9 + i, 300 + 7 * i, 0, 5000 + 13 * i));
            calls.add(new Call("bedrock_haiku", i % 2 == 0, 31, 57, 2048 * i, 512 * (i % 3)));
            calls.add(new Call("vllm", i % 2 == 0, 900 + 17 * i, 150 + 3 * i, 512 * (i % 2), 0));
            calls.add(new Call("vllm", i % 2 == 1, 64, 999, 0, 0));
        }
        return calls;
    }

    /** The tier table's prices applied to what the provider reported, computed here on its own. */
    private static BigDecimal priced(Call call) {
        BigDecimal perK = new BigDecimal(1000);
        if (call.tier().equals("vllm")) {
            int uncached = call.input() - call.cacheRead();
            return new BigDecimal(VLLM_IN).multiply(BigDecimal.valueOf(uncached))
                    .add(new BigDecimal(VLLM_CACHED).multiply(BigDecimal.valueOf(call.cacheRead())))
                    .add(new BigDecimal(VLLM_OUT).multiply(BigDecimal.valueOf(call.output()))).divide(perK);
        }
        // Bedrock's inputTokens leave out the cache's reads and writes, which are priced apart.
        return new BigDecimal(PER_1K_IN).multiply(BigDecimal.valueOf(call.input()))
                .add(new BigDecimal(PER_1K_CACHE_READ).multiply(BigDecimal.valueOf(call.cacheRead())))
                .add(new BigDecimal(PER_1K_CACHE_WRITE).multiply(BigDecimal.valueOf(call.cacheWrite())))
                .add(new BigDecimal(PER_1K_OUT).multiply(BigDecimal.valueOf(call.output()))).divide(perK);
    }

    /** Sends one call of the mix and returns Cato's own account of it ({@code cato} in the completion). */
    private JsonNode send(CatoApi api, Call call) {
        if (call.tier().equals("vllm")) {
            // OpenAI's prompt_tokens include the cached ones.
            vllm.reportingUsage(call.input(), call.output(), call.cacheRead());
        } else {
            bedrock.usage(call.input(), call.output(), call.cacheRead(), call.cacheWrite());
        }
        String body = "{\"model\":\"" + call.tier() + "\",\"stream\":" + call.stream()
                + ",\"max_tokens\":1000,\"messages\":[{\"role\":\"user\",\"content\":\"What is the capital of France?\"}]}";
        ApiResponse response = api.handle(ApiRequest.json("POST", "/v1/chat/completions",
                Map.of("x-cato-tenant", "replay"), body));
        assertThat(response.status()).isEqualTo(200);
        String text = response.bodyText();
        JsonNode completion = call.stream() ? lastChunk(text) : json(text);
        assertThat(completion.path("cato").path("tier").asText()).as(call.toString()).isEqualTo(call.tier());
        return completion.path("cato");
    }

    private static JsonNode lastChunk(String events) {
        JsonNode last = null;
        for (String line : events.split("\n")) {
            if (line.startsWith("data: {")) {
                last = json(line.substring("data: ".length()));
            }
        }
        assertThat(last).isNotNull();
        assertThat(last.has("error")).as(events).isFalse();
        return last;
    }

    private static JsonNode usage(CatoApi api) {
        return json(api.handle(ApiRequest.json("POST", "/api/admin/cato/limits",
                Map.of("authorization", "Bearer admin"), "{\"tenant\":\"replay\"}")).bodyText());
    }

    private static JsonNode json(String text) {
        try {
            return Json.newMapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
