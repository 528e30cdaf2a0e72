package io.cato.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.cato.local.LocalCato;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official OpenAI and Anthropic SDKs (npm {@code openai}, {@code @anthropic-ai/sdk}, pinned in
 * tests/sdk/package-lock.json) run their {@code node --test} suite against this Cato, started on a free port with
 * a temporary data directory, in front of {@link ScriptedUpstream}: a tier that takes tools, images and structured
 * output, and one that takes none. {@code ./cato test} installs the SDKs ({@code npm ci}) first.
 */
class SdkClientsTest {
    private static final Path SDK_TESTS = Path.of("sdk").toAbsolutePath();

    @TempDir
    Path data;

    @Test
    void theOfficialSdks_passTheirSuite_againstCato() throws Exception {
        assertThat(SDK_TESTS.resolve("node_modules/openai")).as("run `npm ci` in tests/sdk (./cato test does)").exists();
        assertThat(SDK_TESTS.resolve("node_modules/@anthropic-ai/sdk")).as("run `npm ci` in tests/sdk").exists();
        try (ScriptedUpstream upstream = new ScriptedUpstream();
             LocalCato cato = RunningCato.start(data, Map.of("CATO_CACHE_ENABLED", "false",
                     "CATO_CONFIG_JSON", config(upstream)))) {
            Path log = data.resolve("node-test.log");
            ProcessBuilder run = new ProcessBuilder("node", "--test", "--test-reporter=tap", "test/openai.test.mjs",
                    "test/anthropic.test.mjs")
                    .directory(SDK_TESTS.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            run.environment().put("CATO_BASE_URL", "http://127.0.0.1:" + cato.port());
            Process node = run.start();
            node.getOutputStream().close();
            boolean finished = node.waitFor(4, TimeUnit.MINUTES);
            if (!finished) {
                node.destroyForcibly();
            }
            String output = Files.readString(log);
            System.out.println(output);
            assertThat(finished).as("the SDK suite finished within 4 minutes").isTrue();
            assertThat(node.exitValue()).as(output).isZero();
            assertThat(output).contains("# fail 0").doesNotContain("# pass 0");
            assertThat(upstream.requests()).as("the SDKs' requests reached the upstream").isNotEmpty();
        }
    }

    /** Two tiers on the scripted upstream: "strong" takes everything, "plain" nothing beyond text. */
    private static String config(ScriptedUpstream upstream) {
        String base = upstream.baseUrl().toString();
        return """
                {"tiers": [
                  {"name": "strong", "provider": "openai", "model_id": "stub-strong", "base_url": "%s",
                   "capabilities": ["tools", "images", "json_schema"], "context_window": 8192,
                   "history_budget": 4096, "max_output_tokens": 1024},
                  {"name": "plain", "provider": "openai", "model_id": "stub-plain", "base_url": "%s",
                   "capabilities": [], "context_window": 8192, "history_budget": 4096, "max_output_tokens": 1024},
                  {"name": "memory", "provider": "memory", "model_id": "memory", "context_window": 32000,
                   "history_budget": 16000, "max_output_tokens": 1000}],
                 "fallback_chain": ["strong", "plain", "memory"]}
                """.formatted(base, base);
    }
}
