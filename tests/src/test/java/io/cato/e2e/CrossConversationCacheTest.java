package io.cato.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cato.local.LocalCato;
import io.cato.testing.OpenAiStub;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile conversations against the shared cache, over HTTP on the embedded default (DynamoDB Local exact tier,
 * Lucene vector tier, the real MiniLM encoder and duplicate verifier). The model stub answers every call with text of
 * its own ("answer #n"), so an answer that reaches a second conversation can only have come from the cache. No
 * follow-up, in any wording, at either tier, through either API, may be served another conversation's answer; plain
 * standalone questions asked again must still be served from the cache.
 */
class CrossConversationCacheTest {
    @TempDir
    static Path data;
    private static OpenAiStub model;
    private static LocalCato cato;
    private static Http http;

    /** Contexts that make a follow-up mean different things. */
    private static final List<String> OPENERS = List.of(
            "My doctor says I have diabetes and asthma.",
            "Tell me about tea and coffee.",
            "I am comparing Python and Rust for a web service.",
            "We are planning a trip to Japan and Peru next spring.");

    /** Follow-ups that lean on what came before, including ones that read as complete questions. */
    private static final List<String> FOLLOW_UPS = List.of(
            "Explain why.",
            "Why?",
            "Which one is more dangerous?",
            "Which of them is more dangerous?",
            "What are the side effects?",
            "Is it safe?",
            "Tell me more.",
            "Summarize the main differences.",
            "What should I do first?",
            "How much does it cost?",
            "Translate that to French.",
            "And in winter?");

    @BeforeAll
    static void start() {
        model = new OpenAiStub().answeringPerCall(n -> "answer #" + n);
        cato = RunningCato.start(data, Map.of("CATO_TIER_SHADOW_BASE_URL", model.baseUrl().toString()));
        http = new Http(cato.port());
    }

    @AfterAll
    static void stop() {
        cato.close();
        model.close();
    }

    @Test
    void followUpsInSessions_areNeverServedAnotherSessionsAnswer_atEitherTier() {
        List<JsonNode> followUpAnswers = new ArrayList<>();
        for (int c = 0; c < OPENERS.size(); c++) {
            for (int f = 0; f < FOLLOW_UPS.size(); f++) {
                // Every session's conversation is its own: the opener is told with a detail of the session's own.
                String session = "hostile-" + c + "-" + f;
                http.query(session, OPENERS.get(c) + " This is case " + c + "-" + f + ".");
                followUpAnswers.add(http.query(session, FOLLOW_UPS.get(f)));
                // The same follow-up again, reworded, in another conversation about the same topic.
                http.query(session + "-other", OPENERS.get(c) + " Case " + f + "-" + c + " is different.");
                followUpAnswers.add(http.query(session + "-other", FOLLOW_UPS.get((f + 1) % FOLLOW_UPS.size())));
            }
        }

        assertThat(followUpAnswers).allSatisfy(answer -> assertThat(answer.path("cached").asBoolean())
                .as("follow-up served from the cache: %s", answer).isFalse());
        assertThat(followUpAnswers).extracting(a -> a.path("response").asText()).doesNotHaveDuplicates();
    }

    @Test
    void theSameFollowUpAfterADifferentFirstTurn_isNotShared_butAfterTheVerySameTurnsItMayBe() {
        JsonNode medical = followUp("story-a", "My doctor says I have diabetes and asthma.", "Explain why.");
        JsonNode drinks = followUp("story-b", "Tell me about tea and coffee.", "Explain why.");
        // The same words, opening the conversation, were answered from the cache: the conversations are identical.
        JsonNode sameStory = followUp("story-c", "My doctor says I have diabetes and asthma.", "Explain why.");

        assertThat(drinks.path("cached").asBoolean()).isFalse();
        assertThat(drinks.path("response").asText()).isNotEqualTo(medical.path("response").asText());
        assertThat(sameStory.path("response").asText()).isEqualTo(medical.path("response").asText());
    }

    private static JsonNode followUp(String session, String opener, String question) {
        http.query(session, opener);
        return http.query(session, question);
    }

    @Test
    void statelessChats_withDifferentClientHistories_neverShareAnAnswer_andIdenticalOnesDo() {
        String medical = chat(history("My doctor says I have diabetes and asthma.", "I'm sorry to hear that."),
                "Explain why.");
        String drinks = chat(history("Tell me about tea and coffee.", "Both contain caffeine."), "Explain why.");
        String paraphrase = chat(history("Tell me about tea and coffee.", "Both contain caffeine."),
                "Could you explain why?");
        String fresh = chat(List.of(), "Explain why.");
        String medicalAgain = chat(history("My doctor says I have diabetes and asthma.", "I'm sorry to hear that."),
                "Explain why.");

        assertThat(List.of(medical, drinks, fresh)).doesNotHaveDuplicates();
        assertThat(paraphrase).isNotIn(medical, fresh);
        // The same conversation asking the same thing again is the one case a cached answer fits.
        assertThat(medicalAgain).isEqualTo(medical);
    }

    @Test
    void systemPromptsAndTenants_separateAnswersToTheSameQuestion() {
        String pirate = chatWithSystem("Answer like a pirate.", "What is the capital of Chile?");
        String poet = chatWithSystem("Answer in verse.", "What is the capital of Chile?");
        JsonNode tenantA = http.query("tenant-s1", "What is the capital of Kenya?", "x-cato-tenant", "tenant-a");
        JsonNode tenantB = http.query("tenant-s2", "What is the capital of Kenya?", "x-cato-tenant", "tenant-b");

        assertThat(poet).isNotEqualTo(pirate);
        assertThat(tenantB.path("cached").asBoolean()).isFalse();
        assertThat(tenantB.path("response").asText()).isNotEqualTo(tenantA.path("response").asText());
    }

    @Test
    void plainStandaloneQuestions_askedAgainInNewConversations_areStillServedFromTheCache() {
        JsonNode first = http.query("standalone-1", "What is the capital of France?");
        JsonNode again = http.query("standalone-2", "What is the capital of France?");
        JsonNode paraphrased = http.query("standalone-3", "What's the capital of France?");
        String stateless = chat(List.of(), "What is the capital of France?");

        assertThat(again.path("cached").asBoolean()).isTrue();
        assertThat(again.path("response").asText()).isEqualTo(first.path("response").asText());
        assertThat(paraphrased.path("cached").asBoolean()).isTrue();
        assertThat(stateless).isEqualTo(first.path("response").asText());
    }

    @Test
    void aStandaloneQuestionAskedAfterEarlierTurns_isAMissByDefault() {
        JsonNode opened = http.query("standalone-first", "What is the capital of Italy?");
        http.query("mid-conversation", "I am planning a trip.");
        JsonNode mid = http.query("mid-conversation", "What is the capital of Italy?");

        assertThat(mid.path("cached").asBoolean()).isFalse();
        assertThat(mid.path("response").asText()).isNotEqualTo(opened.path("response").asText());
    }

    private static List<String[]> history(String user, String assistant) {
        return List.of(new String[] {"user", user}, new String[] {"assistant", assistant});
    }

    private static String chat(List<String[]> history, String question) {
        StringBuilder messages = new StringBuilder("[");
        for (String[] message : history) {
            messages.append("{\"role\":\"").append(message[0]).append("\",\"content\":")
                    .append(Http.quote(message[1])).append("},");
        }
        messages.append("{\"role\":\"user\",\"content\":").append(Http.quote(question)).append("}]");
        return content(http.postJson("/v1/chat/completions", "{\"messages\":" + messages + "}"));
    }

    private static String chatWithSystem(String system, String question) {
        return content(http.postJson("/v1/chat/completions", "{\"messages\":[{\"role\":\"system\",\"content\":"
                + Http.quote(system) + "},{\"role\":\"user\",\"content\":" + Http.quote(question) + "}]}"));
    }

    private static String content(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Http.json(response.body()).path("choices").path(0).path("message").path("content").asText();
    }
}
