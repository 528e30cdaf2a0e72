package io.cato.curiosity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cato.config.SettingsLoader;
import io.cato.aws.dynamodb.DynamoDbSemanticMemory;
import io.cato.aws.dynamodb.DynamoDbSessionStore;
import io.cato.aws.testing.BedrockBatchStub;
import io.cato.aws.testing.DynamoDbLocal;
import io.cato.aws.testing.Moto;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The curiosity function's steps, one invocation each as the state machine makes them, against
 * DynamoDB Local, moto's S3 and a loopback Bedrock control plane; the test plays Bedrock's part
 * of writing the job's output files.
 */
class CuriosityStepHandlerTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ROLE = "arn:aws:iam::123456789012:role/cato-bedrock-batch";
    private static DynamoDbLocal dynamo;
    private static BedrockBatchStub bedrock;
    private static Moto moto;
    private static S3Client s3;

    @BeforeAll
    static void start() {
        dynamo = new DynamoDbLocal();
        bedrock = new BedrockBatchStub();
        moto = Moto.shared();
        s3 = moto.s3();
    }

    @AfterAll
    static void stop() {
        s3.close();
        bedrock.close();
        dynamo.close();
    }

    @Test
    void aPartiallyCompletedJob_ingestsItsAnswers_reportsItsFailures_andARepeatedEventIngestsNothing() throws Exception {
        Settings.Tables tables = dynamo.freshTables();
        String bucket = moto.freshBucket();
        seed(tables, 3);
        CuriosityStepHandler handler = handler(tables, "3");

        JsonNode gaps = call(handler, event("collect", null).put("bucket", bucket));
        JsonNode input = call(handler, event("build", gaps).put("bucket", bucket));
        JsonNode job = call(handler, event("submit", input).put("bucket", bucket).put("roleArn", ROLE));
        JsonNode retried = call(handler, event("submit", input).put("bucket", bucket).put("roleArn", ROLE));
        JsonNode advanced = call(handler, event("advance", gaps));
        JsonNode polled = call(handler, event("status", job));

        assertThat(gaps.path("belowMinimum").asBoolean()).isFalse();
        assertThat(gaps.path("count").asInt()).isEqualTo(3);
        List<JsonNode> records = jsonl(input.path("inputUri").asText());
        assertThat(records).hasSize(3).allSatisfy(CuriosityStepHandlerTest::isDocumentedRecord);
        assertThat(retried.path("jobArn").asText()).isEqualTo(job.path("jobArn").asText());
        assertThat(bedrock.jobs()).hasSize(1);
        assertThat(bedrock.violations()).isEmpty();
        assertThat(advanced.path("advanced").asBoolean()).isTrue();
        assertThat(polled.path("status").asText()).isEqualTo("Submitted");

        String arn = job.path("jobArn").asText();
        bedrock.setStatus(arn, "PartiallyCompleted", null);
        writeOutput(input.path("outputUri").asText() + arn.substring(arn.lastIndexOf('/') + 1) + "/", records);
        ObjectNode completion = MAPPER.createObjectNode().put("batchJobArn", arn)
                .put("batchJobName", bedrock.jobs().get(arn).request().path("jobName").asText())
                .put("status", "PartiallyCompleted");
        JsonNode fromEvent = call(handler, event("ingest", completion));
        List<Fact> afterEvent = facts(tables);
        JsonNode reconciled = call(handler, event("ingest", call(handler, event("status", job))));
        JsonNode eventAgain = call(handler, event("ingest", completion));

        assertThat(fromEvent.path("ingested").asInt()).isEqualTo(2);
        assertThat(fromEvent.path("failedCount").asInt()).isEqualTo(1);
        assertThat(fromEvent.path("failed").path(0).path("recordId").asText()).isEqualTo("R0000000001");
        assertThat(fromEvent.path("failed").path(0).path("error").asText()).isEqualTo("429 Too many tokens");
        assertThat(fromEvent.path("manifest").path("errorRecordCount").asLong()).isEqualTo(1);
        assertThat(afterEvent).hasSize(2).allSatisfy(fact -> {
            assertThat(fact.source()).isEqualTo(Fact.FROM_CURIOSITY);
            assertThat(fact.sourceRef()).startsWith(arn + "#R");
        });
        assertThat(reconciled.path("repeated").asBoolean()).isTrue();
        assertThat(reconciled.path("ingested").asInt()).isZero();
        assertThat(eventAgain.path("repeated").asBoolean()).isTrue();
        assertThat(facts(tables)).containsExactlyInAnyOrderElementsOf(afterEvent);
    }

    @Test
    void fewerGapsThanTheModelsMinimum_writeNothing_andStayForTheNextNight() throws Exception {
        Settings.Tables tables = dynamo.freshTables();
        String bucket = moto.freshBucket();
        seed(tables, 3);
        CuriosityStepHandler handler = handler(tables, null);

        JsonNode first = call(handler, event("collect", null).put("bucket", bucket));
        JsonNode second = call(handler, event("collect", null).put("bucket", bucket));

        assertThat(first.path("belowMinimum").asBoolean()).isTrue();
        assertThat(first.path("minimum").asInt()).isEqualTo(100);
        assertThat(second.path("count").asInt()).isEqualTo(3);
        assertThat(second.path("from").isNull()).isTrue();
        assertThat(s3.listObjectsV2(l -> l.bucket(bucket)).contents()).isEmpty();
    }

    @Test
    void ingestOfSomethingThatIsNotABatchJob_andAnUnknownStep_failWithoutRetryableErrors() {
        CuriosityStepHandler handler = handler(dynamo.freshTables(), null);

        assertThatThrownBy(() -> call(handler, event("ingest", MAPPER.createObjectNode().put("jobArn", "nope"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> call(handler, event("summarise", null))).isInstanceOf(UnknownStepException.class);
    }

    private static void isDocumentedRecord(JsonNode record) {
        assertThat(record.size()).isEqualTo(2);
        assertThat(record.path("recordId").asText()).matches("[A-Za-z0-9]{11}");
        JsonNode body = record.path("modelInput");
        assertThat(body.path("anthropic_version").asText()).isEqualTo("bedrock-2023-05-31");
        assertThat(body.path("max_tokens").asInt()).isPositive();
        assertThat(body.path("messages").path(0).path("role").asText()).isEqualTo("user");
        assertThat(body.path("messages").path(0).path("content").path(0).path("text").asText()).contains("Question:");
    }

    /** What Bedrock writes: one answered record, one failed, one answered with a fact already held by the first. */
    private static void writeOutput(String folderUri, List<JsonNode> records) {
        String lines = output(records.get(0), "The Rhine flows through six countries. It ends in the North Sea.")
                + "\n" + MAPPER.createObjectNode().put("recordId", records.get(1).path("recordId").asText())
                        .<ObjectNode>set("modelInput", records.get(1).path("modelInput"))
                        .set("error", MAPPER.createObjectNode().put("errorCode", 429)
                                .put("errorMessage", "Too many tokens"))
                + "\n" + output(records.get(2), "The Rhine flows through six countries.") + "\n";
        put(folderUri + "records.jsonl.out", lines);
        put(folderUri + "manifest.json.out", "{\"totalRecordCount\":3,\"processedRecordCount\":3,"
                + "\"successRecordCount\":2,\"errorRecordCount\":1,\"inputTokenCount\":300,\"outputTokenCount\":40}");
    }

    private static String output(JsonNode record, String text) {
        ObjectNode line = MAPPER.createObjectNode().put("recordId", record.path("recordId").asText());
        line.set("modelInput", record.path("modelInput"));
        ObjectNode out = line.putObject("modelOutput").put("id", "msg_bdrk_1").put("type", "message")
                .put("role", "assistant").put("stop_reason", "end_turn");
        out.putArray("content").addObject().put("type", "text").put("text", text);
        out.putObject("usage").put("input_tokens", 60).put("output_tokens", 14);
        return line.toString();
    }

    private static void put(String uri, String content) {
        var at = BatchUri.parse(uri);
        s3.putObject(p -> p.bucket(at.bucket()).key(at.key()), RequestBody.fromString(content));
    }

    private static List<JsonNode> jsonl(String uri) throws IOException {
        var at = BatchUri.parse(uri);
        String text = s3.getObjectAsBytes(g -> g.bucket(at.bucket()).key(at.key())).asUtf8String();
        List<JsonNode> lines = new java.util.ArrayList<>();
        for (String line : text.split("\n")) {
            lines.add(MAPPER.readTree(line));
        }
        return lines;
    }

    private static void seed(Settings.Tables tables, int questions) {
        var sessions = new DynamoDbSessionStore(dynamo.client(), tables.sessions(), Duration.ofDays(30));
        Instant at = Instant.now().minusSeconds(600);
        for (int i = 0; i < questions; i++) {
            sessions.append("default#s" + i, new TurnDraft("Which countries does river number " + i + " cross?",
                    "I have no model to ask right now.", "memory", at.plusSeconds(i), "geography"));
        }
    }

    private static List<Fact> facts(Settings.Tables tables) {
        return new DynamoDbSemanticMemory(dynamo.client(), tables.memory()).inDomain("default", "geography", 100);
    }

    private static CuriosityStepHandler handler(Settings.Tables tables, String minimum) {
        Map<String, String> env = new HashMap<>(Map.of("CATO_AWS_ENDPOINT", dynamo.endpoint().toString(),
                "CATO_S3_ENDPOINT", moto.endpoint().toString(), "CATO_BEDROCK_ENDPOINT", bedrock.endpoint().toString(),
                "CATO_SESSIONS_TABLE", tables.sessions(), "CATO_MEMORY_TABLE", tables.memory(),
                "CATO_BATCH_MODEL_ID", "anthropic.claude-3-5-haiku-20241022-v1:0", "CATO_ENVIRONMENT", "test"));
        if (minimum != null) {
            env.put("CATO_BATCH_MIN_RECORDS", minimum);
        }
        return new CuriosityStepHandler(new SettingsLoader(env).load(Optional.empty()));
    }

    private static ObjectNode event(String step, JsonNode input) {
        ObjectNode event = MAPPER.createObjectNode().put("step", step);
        if (input != null) {
            event.set("input", input);
        }
        return event;
    }

    private static JsonNode call(CuriosityStepHandler handler, JsonNode event) throws IOException {
        var out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.toString().getBytes(StandardCharsets.UTF_8)), out, null);
        return MAPPER.readTree(out.toByteArray());
    }
}
