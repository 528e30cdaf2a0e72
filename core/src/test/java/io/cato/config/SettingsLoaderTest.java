package io.cato.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cato.model.Provider;
import io.cato.model.TierConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsLoaderTest {

    @Test
    void defaults_haveOnlyTheMemoryTierEnabled() {
        Settings settings = new SettingsLoader(Map.of()).load(Optional.empty());

        assertThat(settings.server().port()).isEqualTo(8080);
        assertThat(settings.rollout().percentage()).isEqualTo(100);
        assertThat(settings.rollout().legacy()).isEmpty();
        assertThat(settings.tiers()).filteredOn(t -> t.enabled()).extracting(t -> t.name()).containsExactly("memory");
    }

    @Test
    void inFlightLimit_defaultsToTenThousand_andTheVariableOverridesIt() {
        assertThat(new SettingsLoader(Map.of()).load(Optional.empty()).limits().maxInFlight())
                .isEqualTo(Settings.DEFAULT_MAX_IN_FLIGHT).isEqualTo(10_000);
        Settings settings = new SettingsLoader(Map.of("CATO_MAX_IN_FLIGHT", "60000", "CATO_UPSTREAM_HTTP2", "true"))
                .load(Optional.empty());

        assertThat(settings.limits().maxInFlight()).isEqualTo(60_000);
        assertThat(settings.models().http2()).isTrue();
        assertThatThrownBy(() -> new SettingsLoader(Map.of("CATO_MAX_IN_FLIGHT", "0")).load(Optional.empty()))
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("max_in_flight");
    }

    @Test
    void file_thenInlineJson_thenVariables_overrideInThatOrder(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cato.json");
        Files.writeString(file, "{\"port\": 9000, \"rollout\": {\"percentage\": 10}, \"admin_token\": \"from-file\"}");
        Map<String, String> env = Map.of(
                "CATO_CONFIG_JSON", "{\"rollout\": {\"percentage\": 20}}",
                "CATO_ADMIN_TOKEN", "from-env",
                "CATO_TIER_SHADOW_BASE_URL", "http://127.0.0.1:8000/v1",
                "CATO_LEGACY_BASE_URL", "http://127.0.0.1:4000/v1");

        Settings settings = new SettingsLoader(env).load(Optional.of(file));

        assertThat(settings.server().port()).isEqualTo(9000);
        assertThat(settings.rollout().percentage()).isEqualTo(20);
        assertThat(settings.server().adminToken()).contains("from-env");
        assertThat(settings.tiers().getFirst().baseUrl()).contains("http://127.0.0.1:8000/v1");
        assertThat(settings.rollout().legacy()).isPresent();
    }

    @Test
    void breaker_hasNamedDefaults_andTakesOverridesAndItsTableName() {
        Settings defaults = new SettingsLoader(Map.of()).load(Optional.empty());
        Settings tuned = new SettingsLoader(Map.of(
                "CATO_CONFIG_JSON", "{\"breaker\": {\"wait_in_open_seconds\": 5, \"minimum_calls\": 20}}",
                "CATO_BREAKERS_TABLE", "prod-breakers")).load(Optional.empty());

        assertThat(defaults.breaker()).isEqualTo(io.cato.breaker.BreakerPolicy.defaults());
        assertThat(defaults.tables().breakers()).isEqualTo("cato-breakers");
        assertThat(tuned.breaker().waitInOpen()).hasSeconds(5);
        assertThat(tuned.breaker().minimumNumberOfCalls()).isEqualTo(20);
        assertThat(tuned.tables().breakers()).isEqualTo("prod-breakers");
        assertThatThrownBy(() -> new SettingsLoader(Map.of("CATO_CONFIG_JSON", "{\"breaker\": {\"bucket_seconds\": 7}}"))
                .load(Optional.empty())).isInstanceOf(InvalidSettingsException.class).hasMessageContaining("window");
    }

    @Test
    void bedrockAndSageMakerTiers_areEnabledWithoutABaseUrl_andCarryTheirAwsSettings() {
        String json = """
                {"tiers": [
                  {"name": "sonnet", "provider": "bedrock", "model_id": "anthropic.claude-sonnet-4", "region": "us-west-2",
                   "prompt_cache_min_tokens": 2048},
                  {"name": "shadow", "provider": "sagemaker", "model_id": "cato-shadow-self"},
                  {"name": "memory", "provider": "memory", "model_id": "memory", "context_window": 32000,
                   "history_budget": 16000, "max_output_tokens": 1000}],
                 "fallback_chain": ["sonnet", "shadow", "memory"]}""";
        Map<String, String> env = Map.of("CATO_CONFIG_JSON", json,
                "CATO_TIER_SHADOW_ENDPOINT", "http://127.0.0.1:4566");

        Settings settings = new SettingsLoader(env).load(Optional.empty());

        assertThat(settings.tiers()).filteredOn(t -> t.enabled()).extracting(t -> t.name())
                .containsExactly("sonnet", "shadow", "memory");
        TierConfig sonnet = settings.tiers().getFirst();
        assertThat(sonnet.provider()).isEqualTo(Provider.BEDROCK);
        assertThat(sonnet.region()).contains("us-west-2");
        assertThat(sonnet.endpoint()).isEmpty();
        assertThat(sonnet.promptCacheMinTokens()).isEqualTo(2048);
        TierConfig shadow = settings.tiers().get(1);
        assertThat(shadow.provider()).isEqualTo(Provider.SAGEMAKER);
        assertThat(shadow.modelId()).isEqualTo("cato-shadow-self");
        assertThat(shadow.endpoint()).contains(URI.create("http://127.0.0.1:4566"));
        assertThat(shadow.promptCacheMinTokens()).isEqualTo(TierConfig.DEFAULT_PROMPT_CACHE_MIN_TOKENS);
    }

    @Test
    void awsTiers_withoutAModelIdOrWithARelativeEndpoint_areRefusedAtStart() {
        assertThatThrownBy(() -> new SettingsLoader(Map.of("CATO_CONFIG_JSON",
                "{\"tiers\": [{\"name\": \"sonnet\", \"provider\": \"bedrock\"}], \"fallback_chain\": []}"))
                .load(Optional.empty())).isInstanceOf(InvalidSettingsException.class).hasMessageContaining("model_id");
        assertThatThrownBy(() -> new SettingsLoader(Map.of("CATO_CONFIG_JSON",
                "{\"tiers\": [{\"name\": \"s\", \"provider\": \"sagemaker\", \"model_id\": \"e\","
                        + " \"endpoint\": \"localhost\"}], \"fallback_chain\": []}"))
                .load(Optional.empty())).isInstanceOf(InvalidSettingsException.class).hasMessageContaining("endpoint");
    }

    @Test
    void invalidValues_areRefusedAtStart() {
        assertThatThrownBy(() -> new SettingsLoader(Map.of("CATO_ROLLOUT_PERCENTAGE", "150")).load(Optional.empty()))
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("percentage");
        assertThatThrownBy(() -> new SettingsLoader(Map.of("CATO_PORT", "eighty")).load(Optional.empty()))
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("CATO_PORT");
        assertThatThrownBy(() -> new SettingsLoader(Map.of("CATO_CONFIG_JSON", "{\"fallback_chain\": [\"nope\"]}"))
                .load(Optional.empty())).isInstanceOf(InvalidSettingsException.class).hasMessageContaining("nope");
    }

    @Test
    void awsAndWorkflowVariables_fillTheirGroups_withDefaultsFromTheShippedFile() {
        Settings defaults = new SettingsLoader(Map.of()).load(Optional.empty());
        assertThat(defaults.aws().region()).isEqualTo("us-east-1");
        assertThat(defaults.aws().openSearch().endpoint()).isEmpty();
        assertThat(defaults.aws().openSearch().episodeIndex()).isEqualTo("cato-episodes");
        assertThat(defaults.aws().appConfig()).isEmpty();
        assertThat(defaults.workflows().batch().sizes()).isEqualTo(new Settings.BatchSizes(100, 5000, 512, 900));
        assertThat(defaults.lambda().snapStartInit()).isFalse();

        Settings settings = new SettingsLoader(Map.of("AWS_REGION", "eu-west-1",
                "CATO_AWS_ENDPOINT", "http://127.0.0.1:4566", "CATO_OPENSEARCH_ENDPOINT", "https://search.example",
                "CATO_OPENSEARCH_REFRESH", "true", "CATO_APPCONFIG_APPLICATION", "cato",
                "CATO_BATCH_MAX_RECORDS", "200", "CATO_ENVIRONMENT", "test",
                "AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start", "POWERTOOLS_SERVICE_NAME", "cato-verify"),
                Map.of("org.crac.Core.Compat", "com.amazonaws.services.lambda.crac")).load(Optional.empty());

        assertThat(settings.aws().region()).isEqualTo("eu-west-1");
        assertThat(settings.aws().endpoint()).contains(URI.create("http://127.0.0.1:4566"));
        assertThat(settings.aws().openSearch().endpoint()).contains(URI.create("https://search.example"));
        assertThat(settings.aws().openSearch().refresh()).isTrue();
        assertThat(settings.aws().appConfig()).contains(new Settings.AppConfig("cato", "prod", "rollout"));
        assertThat(settings.workflows().batch().sizes().maxRecords()).isEqualTo(200);
        assertThat(settings.workflows().batch().jobNamePrefix()).isEqualTo("cato-test-curiosity-");
        assertThat(settings.lambda().snapStartInit()).isTrue();
        assertThat(settings.lambda().cracCompat()).contains("com.amazonaws.services.lambda.crac");
        assertThat(settings.lambda().serviceName()).isEqualTo("cato-verify");
        assertThatThrownBy(() -> new SettingsLoader(Map.of("CATO_BATCH_POLL_SECONDS", "0")).load(Optional.empty()))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessage("CATO_BATCH_POLL_SECONDS must be a positive whole number, got '0'");
    }

    @Test
    void readme_documentsEveryVariableTheLoaderReads() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        String table = readme.substring(readme.indexOf("## Configuration"), readme.indexOf("## Query routing"));

        for (SettingsLoader.Variable variable : SettingsLoader.VARIABLES) {
            assertThat(table).as(variable.name()).contains("`" + variable.name() + "`");
        }
        for (String name : new String[] {SettingsLoader.INITIALIZATION_TYPE, SettingsLoader.RUNTIME_API,
            SettingsLoader.SERVICE_NAME, SettingsLoader.METRICS_NAMESPACE, SettingsLoader.CRAC_COMPAT,
            "CATO_CONFIG", "CATO_CONFIG_JSON"}) {
            assertThat(table).as(name).contains(name);
        }
    }
}
