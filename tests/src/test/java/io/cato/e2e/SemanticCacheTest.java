package io.cato.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cato.local.LocalCato;
import io.cato.testing.OpenAiStub;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The semantic cache over HTTP on the embedded default: DynamoDB Local exact tier, Lucene vector tier. */
class SemanticCacheTest {
    private static final String ADMIN = "Bearer " + RunningCato.ADMIN_TOKEN;

    private static LocalCato start(Path data, OpenAiStub model) {
        return RunningCato.start(data, Map.of("CATO_TIER_SHADOW_BASE_URL", model.baseUrl().toString()));
    }

    @Test
    void aNewQuestionAskedTwentyTimesAtOnce_callsTheModelOnce_andTheOthersAreServedItsAnswer(@TempDir Path data)
            throws Exception {
        try (OpenAiStub model = new OpenAiStub().answering("Canberra.").delay(java.time.Duration.ofMillis(800));
             LocalCato cato = start(data, model)) {
            Http http = new Http(cato.port());
            List<java.util.concurrent.CompletableFuture<JsonNode>> asked = new java.util.ArrayList<>();
            try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 20; i++) {
                    String session = "stampede-" + i;
                    asked.add(java.util.concurrent.CompletableFuture.supplyAsync(
                            () -> http.query(session, "What is the capital of Australia?"), pool));
                }
                List<JsonNode> answers = asked.stream().map(java.util.concurrent.CompletableFuture::join).toList();

                assertThat(answers).allSatisfy(a -> assertThat(a.path("response").asText()).isEqualTo("Canberra."));
                assertThat(answers).filteredOn(a -> !a.path("cached").asBoolean()).hasSize(1);
                assertThat(answers).filteredOn(a -> a.path("cached").asBoolean())
                        .allSatisfy(a -> assertThat(a.path("cache").path("tier").asText()).isEqualTo("exact"));
            }
            assertThat(model.calls()).isEqualTo(1);

            JsonNode other = http.query("stampede-x", "What is the capital of Austria?");
            assertThat(other.path("cached").asBoolean()).isFalse();
            assertThat(model.calls()).isEqualTo(2);
        }
    }

    @Test
    void whenTheFirstAskerGetsNoModelAnswer_theOthersAreAnsweredOnTheirOwn(@TempDir Path data) {
        try (OpenAiStub model = new OpenAiStub().failingWith(500).delay(java.time.Duration.ofMillis(300));
             LocalCato cato = start(data, model)) {
            Http http = new Http(cato.port());
            List<java.util.concurrent.CompletableFuture<JsonNode>> asked = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String session = "outage-" + i;
                asked.add(java.util.concurrent.CompletableFuture.supplyAsync(
                        () -> http.query(session, "What is the capital of Peru?")));
            }
            List<JsonNode> answers = asked.stream().map(java.util.concurrent.CompletableFuture::join).toList();

            assertThat(answers).allSatisfy(a -> {
                assertThat(a.path("cached").asBoolean()).isFalse();
                assertThat(a.path("model").asText()).isEqualTo("memory");
            });
            assertThat(model.calls()).isEqualTo(5);
        }
    }

    @Test
    void theRunbookCase_pythonProgrammingIsServedFromTheCacheAndJavaIsNot(@TempDir Path data) {
        try (OpenAiStub model = new OpenAiStub().answering("Python is a programming language.");
             LocalCato cato = start(data, model)) {
            Http http = new Http(cato.port());

            JsonNode first = http.query("s-1", "What is Python?");
            JsonNode second = http.query("s-2", "What is Python programming?");
            JsonNode java = http.query("s-3", "What is Java?");

            assertThat(first.path("cached").asBoolean()).isFalse();
            assertThat(first.path("cache").path("status").asText()).isEqualTo("miss");
            assertThat(second.path("cached").asBoolean()).isTrue();
            assertThat(second.path("response").asText()).isEqualTo("Python is a programming language.");
            assertThat(second.path("routing").path("tier").asText()).isEqualTo("cache");
            assertThat(second.path("cache").path("age_seconds").isIntegralNumber()).isTrue();
            assertThat(second.path("cost_usd").asDouble()).isZero();
            assertThat(java.path("cached").asBoolean()).isFalse();
            assertThat(model.calls()).isEqualTo(2);
        }
    }

    @Test
    void followUpsThatLeanOnTheConversationAreNeverHitsAcrossSessions(@TempDir Path data) {
        List<String> followUps = List.of("and in Java?", "What did I just say?", "Why is that?",
                "what about the second one", "Can you make it shorter?", "What is my name?");
        try (OpenAiStub model = new OpenAiStub().answering("an answer"); LocalCato cato = start(data, model)) {
            Http http = new Http(cato.port());
            http.query("a", "How do I sort a list in Python?");
            http.query("b", "How do I sort a list in Python?");
            int callsBefore = model.calls();

            for (String followUp : followUps) {
                JsonNode inA = http.query("a", followUp);
                JsonNode inB = http.query("b", followUp);
                assertThat(inA.path("cached").asBoolean()).as(followUp).isFalse();
                assertThat(inB.path("cached").asBoolean()).as(followUp).isFalse();
                assertThat(inB.path("cache").path("status").asText()).as(followUp).isEqualTo("bypass");
            }
            assertThat(model.calls() - callsBefore).isEqualTo(2 * followUps.size());
        }
    }

    @Test
    void theCacheSurvivesARestartOfTheEmbeddedDefault(@TempDir Path data) {
        try (OpenAiStub model = new OpenAiStub().answering("Eat less, move more.")) {
            try (LocalCato cato = start(data, model)) {
                new Http(cato.port()).query("s-1", "How can I lose weight fast?");
            }
            try (LocalCato cato = start(data, model)) {
                JsonNode paraphrase = new Http(cato.port()).query("s-2", "How do I lose weight quickly?");
                assertThat(paraphrase.path("cached").asBoolean()).isTrue();
                assertThat(paraphrase.path("cache").path("tier").asText()).isEqualTo("vector");
            }
            assertThat(model.calls()).isEqualTo(1);
        }
    }

    @Test
    void failedAndMemoryTierAnswersAreNotCached(@TempDir Path data) {
        try (OpenAiStub model = new OpenAiStub().failingWith(500); LocalCato cato = start(data, model)) {
            Http http = new Http(cato.port());
            JsonNode first = http.query("s-1", "What is the boiling point of water?");
            JsonNode again = http.query("s-2", "What is the boiling point of water?");

            assertThat(first.path("routing").path("degraded").asBoolean()).isTrue();
            assertThat(again.path("cached").asBoolean()).isFalse();
            assertThat(again.path("routing").path("tier").asText()).isEqualTo("memory");
        }
    }

    @Test
    void anOperatorPurgesAnEntryOrADomainAndStatusShowsTheCache(@TempDir Path data) {
        try (OpenAiStub model = new OpenAiStub().answering("an answer"); LocalCato cato = start(data, model)) {
            Http http = new Http(cato.port());
            http.query("s-1", "What is Rust?");
            String entry = http.query("s-2", "What is Rust?").path("cache").path("entry_id").asText();
            assertThat(entry).isNotBlank();

            HttpResponse<String> unauthorised = http.postJson("/api/admin/cato/cache/purge",
                    "{\"entry_id\":\"" + entry + "\"}");
            HttpResponse<String> purged = http.postJson("/api/admin/cato/cache/purge",
                    "{\"entry_id\":\"" + entry + "\"}", "authorization", ADMIN);
            HttpResponse<String> again = http.postJson("/api/admin/cato/cache/purge",
                    "{\"entry_id\":\"" + entry + "\"}", "authorization", ADMIN);
            HttpResponse<String> both = http.postJson("/api/admin/cato/cache/purge",
                    "{\"entry_id\":\"x\",\"domain\":\"general\"}", "authorization", ADMIN);

            assertThat(unauthorised.statusCode()).isEqualTo(401);
            assertThat(purged.statusCode()).isEqualTo(200);
            assertThat(again.statusCode()).isEqualTo(404);
            assertThat(Http.json(again.body()).path("error").path("code").asText()).isEqualTo("not_found");
            assertThat(both.statusCode()).isEqualTo(400);
            assertThat(http.query("s-3", "What is Rust?").path("cached").asBoolean()).isFalse();

            http.query("s-4", "What is Go?");
            HttpResponse<String> domain = http.postJson("/api/admin/cato/cache/purge", "{\"domain\":\"general\"}",
                    "authorization", ADMIN);
            assertThat(Http.json(domain.body()).path("deleted").asLong()).isEqualTo(2);
            assertThat(http.query("s-5", "What is Go?").path("cached").asBoolean()).isFalse();

            JsonNode status = Http.json(http.get("/api/admin/cato/status", "authorization", ADMIN).body());
            JsonNode cache = status.path("cache");
            assertThat(cache.path("enabled").asBoolean()).isTrue();
            assertThat(cache.path("false_hit_budget").asDouble()).isEqualTo(0.01);
            assertThat(cache.path("size").asLong()).as("only Go, stored again after the purge").isEqualTo(1);
            assertThat(cache.path("exact_hits").asLong()).isEqualTo(1);
            assertThat(cache.path("hit_rate").asDouble()).isBetween(0.0, 1.0);
        }
    }
}
