package io.cato.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.cato.local.LocalCato;
import io.cato.testing.OpenAiStub;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rollout flag sends a sticky share of users to Cato and forwards the rest to the legacy endpoint. */
class RolloutTest {

    /** Every user asks the same question: without the cache off, it would answer most of them on Cato's side. */
    private static LocalCato start(Path data, int percentage, OpenAiStub legacy, OpenAiStub cato) {
        return RunningCato.start(data, Map.of("CATO_ROLLOUT_PERCENTAGE", Integer.toString(percentage),
                "CATO_LEGACY_BASE_URL", legacy.baseUrl().toString(),
                "CATO_TIER_SHADOW_BASE_URL", cato.baseUrl().toString(),
                "CATO_CACHE_ENABLED", "false"));
    }

    private static HttpResponse<String> chat(Http http, String user) {
        return http.postJson("/v1/chat/completions",
                "{\"model\":\"gpt-4o-mini\",\"user\":\"" + user + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    }

    private static boolean wentToLegacy(HttpResponse<String> response) {
        return response.headers().firstValue("x-cato-route").filter("legacy"::equals).isPresent();
    }

    @Test
    void atZero_everyRequestReachesLegacyUnchanged(@TempDir Path data) {
        try (OpenAiStub legacy = new OpenAiStub().answering("from legacy"); OpenAiStub model = new OpenAiStub();
             LocalCato cato = start(data, 0, legacy, model)) {
            Http http = new Http(cato.port());
            for (int i = 0; i < 20; i++) {
                assertThat(chat(http, "user-" + i).body()).contains("from legacy");
            }
            assertThat(http.query("s", "What is 2+2?").path("routing").path("tier").asText()).isEqualTo("legacy");

            assertThat(legacy.calls()).isEqualTo(21);
            assertThat(model.calls()).isZero();
            assertThat(legacy.requestBodies().getFirst()).isEqualTo(
                    "{\"model\":\"gpt-4o-mini\",\"user\":\"user-0\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

            // Fields Cato itself would refuse still reach the legacy proxy, which decides what to do with them.
            String logprobs = "{\"model\":\"gpt-4o-mini\",\"user\":\"user-0\",\"logprobs\":true,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
            assertThat(http.postJson("/v1/chat/completions", logprobs).body()).contains("from legacy");
            assertThat(legacy.requestBodies().getLast()).isEqualTo(logprobs);
        }
    }

    @Test
    void atHundred_noRequestReachesLegacy(@TempDir Path data) {
        try (OpenAiStub legacy = new OpenAiStub(); OpenAiStub model = new OpenAiStub().answering("from cato");
             LocalCato cato = start(data, 100, legacy, model)) {
            Http http = new Http(cato.port());
            for (int i = 0; i < 20; i++) {
                assertThat(chat(http, "user-" + i).body()).contains("from cato");
            }
            assertThat(legacy.calls()).isZero();
            assertThat(model.calls()).isEqualTo(20);
        }
    }

    @Test
    void atThirty_aboutThirtyPercentOfUsersReachCato_eachAlwaysOnTheSameSide(@TempDir Path data) {
        try (OpenAiStub legacy = new OpenAiStub(); OpenAiStub model = new OpenAiStub();
             LocalCato cato = start(data, 30, legacy, model)) {
            Http http = new Http(cato.port());
            int users = 300;
            int onCato = 0;
            for (int i = 0; i < users; i++) {
                boolean legacyFirst = wentToLegacy(chat(http, "user-" + i));
                assertThat(wentToLegacy(chat(http, "user-" + i))).as("user-" + i).isEqualTo(legacyFirst);
                onCato += legacyFirst ? 0 : 1;
            }
            assertThat(onCato).isBetween(60, 120);
            assertThat(legacy.calls()).isEqualTo(2 * (users - onCato));
            assertThat(model.calls()).isEqualTo(2 * onCato);
        }
    }
}
