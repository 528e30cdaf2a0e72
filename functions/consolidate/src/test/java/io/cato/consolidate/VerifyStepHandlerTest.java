package io.cato.consolidate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cato.config.SettingsLoader;
import io.cato.aws.dynamodb.DynamoDbSemanticMemory;
import io.cato.aws.dynamodb.DynamoDbSessionStore;
import io.cato.aws.testing.DynamoDbLocal;
import io.cato.config.Settings;
import io.cato.embedding.MiniLmTokenEncoder;
import io.cato.memory.Fact;
import io.cato.memory.UnknownStepException;
import io.cato.session.Turn;
import io.cato.session.TurnDraft;
import io.cato.session.Verdict;
import java.util.Optional;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The verify function's steps, one invocation each as the verify state machine makes them, on
 * DynamoDB Local with no Shadow Self or NLI endpoint configured, as in the embedded default.
 */
class VerifyStepHandlerTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String QUERY = "What is machine learning?";
    private static DynamoDbLocal dynamo;

    @BeforeAll
    static void start() {
        dynamo = new DynamoDbLocal();
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    @Test
    void withoutEndpoints_bothChecksAreUnavailable_andAnUnknownVerdictIsStoredOnTheTurn() throws IOException {
        Settings.Tables tables = dynamo.freshTables();
        var sessions = new DynamoDbSessionStore(dynamo.client(), tables.sessions(), Duration.ofDays(30));
        Turn turn = sessions.append("default#v", new TurnDraft(QUERY, "Machine learning learns patterns from data.",
                "m", Instant.now(), "ai"));
        storeFact(tables, "Machine learning is a field of artificial intelligence that learns from data.");
        VerifyStepHandler handler = handler(tables);
        ObjectNode state = request(turn.seq());

        JsonNode probe = call(handler, "probe", state);
        JsonNode entail = call(handler, "entail", state);
        state.set("checks", MAPPER.createArrayNode().add(probe).add(entail));
        JsonNode verdict = call(handler, "aggregate", state);
        state.set("verdict", verdict);
        JsonNode stored = call(handler, "store", state);

        assertThat(probe.path("status").asText()).isEqualTo("unavailable");
        assertThat(entail.path("status").asText()).isEqualTo("unavailable");
        assertThat(verdict.path("status").asText()).isEqualTo("unknown");
        assertThat(verdict.path("probe").asText()).isEqualTo("unavailable");
        assertThat(verdict.path("nli").asText()).isEqualTo("unavailable");
        assertThat(stored.path("stored").asBoolean()).isTrue();
        Verdict onTurn = sessions.latest("default#v", 1).getFirst().verdict().orElseThrow();
        assertThat(onTurn.status()).isEqualTo(Verdict.Status.UNKNOWN);
        assertThat(onTurn.probe()).isEqualTo("unavailable");
        assertThat(onTurn.nli()).isEqualTo("unavailable");
    }

    @Test
    void entailmentWithNoRelatedFacts_saysSo_andAVerdictForAMissingTurnIsNotStored() throws IOException {
        VerifyStepHandler handler = handler(dynamo.freshTables());
        ObjectNode state = request(7);

        JsonNode entail = call(handler, "entail", state);
        state.set("verdict", MAPPER.createObjectNode().put("status", "unknown").put("probe", "unavailable")
                .put("nli", "no_facts"));
        JsonNode stored = call(handler, "store", state);

        assertThat(entail.path("status").asText()).isEqualTo("no_facts");
        assertThat(stored.path("stored").asBoolean()).isFalse();
    }

    @Test
    void unknownStep_failsWithoutRetryableError() {
        assertThatThrownBy(() -> call(handler(dynamo.freshTables()), "summarise", request(1)))
                .isInstanceOf(UnknownStepException.class);
    }

    private static void storeFact(Settings.Tables tables, String statement) {
        var embedder = MiniLmTokenEncoder.load(1);
        Instant now = Instant.now();
        new DynamoDbSemanticMemory(dynamo.client(), tables.memory()).add(Fact.builder()
                .id(Fact.idFor("default", "ai", statement)).tenant("default").domain("ai").statement(statement)
                .source(Fact.FROM_CONVERSATION).sourceRef("default#x#1").confidence(0.5).createdAt(now).updatedAt(now)
                .vector(embedder.encode(statement).pooled()).build());
    }

    private static ObjectNode request(long seq) {
        return MAPPER.createObjectNode().put("session", "default#v").put("seq", seq).put("tenant", "default")
                .put("domain", "ai").put("query", QUERY).put("answer", "Machine learning learns patterns from data.");
    }

    private static VerifyStepHandler handler(Settings.Tables tables) {
        return new VerifyStepHandler(new SettingsLoader(Map.of("CATO_AWS_ENDPOINT", dynamo.endpoint().toString(),
                "CATO_SESSIONS_TABLE", tables.sessions(), "CATO_MEMORY_TABLE", tables.memory())).load(Optional.empty()));
    }

    /** The state machine passes the whole state as {@code input}. */
    private static JsonNode call(VerifyStepHandler handler, String step, JsonNode state) throws IOException {
        var event = MAPPER.createObjectNode().put("step", step).set("input", state);
        var out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.toString().getBytes(StandardCharsets.UTF_8)), out, null);
        return MAPPER.readTree(out.toByteArray());
    }
}
