package io.cato.consolidate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.config.SettingsLoader;
import io.cato.aws.dynamodb.DynamoDbSemanticMemory;
import io.cato.aws.dynamodb.DynamoDbSessionStore;
import io.cato.aws.testing.DynamoDbLocal;
import io.cato.config.Settings;
import io.cato.memory.Fact;
import io.cato.memory.UnknownStepException;
import io.cato.session.TurnDraft;
import java.util.Optional;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The consolidate function's steps, one invocation each as the state machine makes them, on DynamoDB Local. */
class ConsolidateStepHandlerTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
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
    void consolidatingTwice_storesNoDuplicate_andAKilledRunRestarted_endsWithTheSameFacts() throws IOException {
        Settings.Tables whole = seeded();
        Settings.Tables interrupted = seeded();
        ConsolidateStepHandler uninterrupted = handler(whole);
        ConsolidateStepHandler restarted = handler(interrupted);

        JsonNode first = runAll(uninterrupted);
        List<String> facts = statements(whole);
        JsonNode second = runAll(uninterrupted);

        // Killed after the first interaction was written and the second was half done: no watermark moved.
        JsonNode batch = call(restarted, "read", MAPPER.createObjectNode());
        JsonNode item0 = batch.path("items").path(0);
        call(restarted, "write", call(restarted, "contradiction", call(restarted, "dedupe",
                call(restarted, "extract", item0))));
        call(restarted, "dedupe", call(restarted, "extract", batch.path("items").path(1)));
        runAll(restarted);

        assertThat(first.path("written").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(second.path("written").asInt()).isZero();
        assertThat(facts).doesNotHaveDuplicates().isNotEmpty();
        assertThat(statements(whole)).containsExactlyInAnyOrderElementsOf(facts);
        assertThat(statements(interrupted)).containsExactlyInAnyOrderElementsOf(facts);
    }

    @Test
    void unknownStep_failsWithoutRetryableError() {
        assertThatThrownBy(() -> call(handler(dynamo.freshTables()), "summarise", MAPPER.createObjectNode()))
                .isInstanceOf(UnknownStepException.class);
    }

    private static Settings.Tables seeded() {
        Settings.Tables tables = dynamo.freshTables();
        var sessions = new DynamoDbSessionStore(dynamo.client(), tables.sessions(), Duration.ofDays(30));
        Instant now = Instant.now().minusSeconds(60);
        sessions.append("default#one", new TurnDraft("What is machine learning?",
                "Machine learning is a field of artificial intelligence that learns patterns from data.", "m", now,
                "ai"));
        sessions.append("default#two", new TurnDraft("What is a neural network?",
                "A neural network is a model made of layers of connected units. "
                        + "Machine learning is a field of artificial intelligence that learns patterns from data.",
                "m", now.plusSeconds(1), "ai"));
        sessions.append("default#two", new TurnDraft("Thanks", "Noted. I will keep that in mind for this conversation.",
                "memory", now.plusSeconds(2), "ai"));
        return tables;
    }

    private static ConsolidateStepHandler handler(Settings.Tables tables) {
        return new ConsolidateStepHandler(new SettingsLoader(Map.of("CATO_AWS_ENDPOINT", dynamo.endpoint().toString(),
                "CATO_SESSIONS_TABLE", tables.sessions(), "CATO_MEMORY_TABLE", tables.memory())).load(Optional.empty()));
    }

    /** The state machine's path: read, then each item through extract, dedupe, contradiction and write, then advance. */
    private static JsonNode runAll(ConsolidateStepHandler handler) throws IOException {
        JsonNode batch = call(handler, "read", MAPPER.createObjectNode());
        int written = 0;
        for (JsonNode item : batch.path("items")) {
            JsonNode result = call(handler, "write", call(handler, "contradiction",
                    call(handler, "dedupe", call(handler, "extract", item))));
            written += result.path("factsWritten").asInt();
        }
        JsonNode advanced = call(handler, "advance", batch);
        assertThat(advanced.path("advanced").asBoolean()).isTrue();
        return MAPPER.createObjectNode().put("written", written).put("items", batch.path("items").size());
    }

    private static JsonNode call(ConsolidateStepHandler handler, String step, JsonNode input) throws IOException {
        var event = MAPPER.createObjectNode().put("step", step).set("input", input);
        var out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.toString().getBytes(StandardCharsets.UTF_8)), out, null);
        return MAPPER.readTree(out.toByteArray());
    }

    private static List<String> statements(Settings.Tables tables) {
        return new DynamoDbSemanticMemory(dynamo.client(), tables.memory()).inDomain("default", "ai", 100).stream()
                .map(Fact::statement).toList();
    }
}
