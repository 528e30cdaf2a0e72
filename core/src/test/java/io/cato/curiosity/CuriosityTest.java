package io.cato.curiosity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.embedding.CountingEmbedder;
import io.cato.memory.ExtractiveFactExtractor;
import io.cato.memory.Fact;
import io.cato.memory.InMemorySemanticMemory;
import io.cato.memory.InMemoryWatermarks;
import io.cato.session.InMemorySessionStore;
import io.cato.session.TurnDraft;
import io.cato.testing.MutableClock;
import io.cato.session.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The curiosity steps in-process, over in-memory sessions, memory, store and batch inference. */
class CuriosityTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String BUCKET = "cato-batch";
    private static final String ROLE = "arn:aws:iam::123456789012:role/cato-bedrock-batch";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T04:30:00Z"));
    private final InMemorySessionStore sessions = new InMemorySessionStore();
    private final InMemorySemanticMemory memory = new InMemorySemanticMemory();
    private final InMemoryBatchStore store = new InMemoryBatchStore();
    private final InMemoryBatchInference bedrock = new InMemoryBatchInference();

    private Curiosity curiosity(int minimum) {
        var embedder = CountingEmbedder.constant();
        var parts = CuriosityParts.builder()
                .gaps(new KnowledgeGaps(sessions, memory, embedder, KnowledgeGaps.Limits.DEFAULT)).memory(memory)
                .watermarks(new InMemoryWatermarks()).store(store).inference(bedrock)
                .ledger(new InMemoryIngestionLedger()).extractor(new ExtractiveFactExtractor()).embedder(embedder)
                .mapper(MAPPER).clock(clock).build();
        return new Curiosity(parts, new Curiosity.Tuning("anthropic.claude-3-5-haiku-20241022-v1:0",
                "cato-test-curiosity-", minimum, 50_000, 512, 0));
    }

    @Test
    void collect_findsEachKindOfGap_oncePerQuestion() {
        Instant at = clock.instant().minus(Duration.ofHours(5));
        answer("t#a", "Who wrote the Iliad?", "Virgil wrote it.", "m", at, verdict(Verdict.Status.CONTRADICTED, "ok"));
        answer("t#b", "Who wrote the Iliad?", "Homer.", "m", at.plusSeconds(1), verdict(Verdict.Status.UNKNOWN, "ok"));
        answer("t#a", "What is the boiling point of ethanol?", "About 78 C.", "m", at.plusSeconds(2),
                verdict(Verdict.Status.UNKNOWN, "no_facts"));
        answer("t#c", "How tall is Mount Kenya?", "I cannot say.", "memory", at.plusSeconds(3), Optional.empty());
        answer("t#d", "Is Pluto a planet?", "No.", "m", at.plusSeconds(4), verdict(Verdict.Status.SUPPORTED, "ok"));
        answer("t#e", "What does ATP stand for?", "Unclear.", "m", at.plusSeconds(5),
                verdict(Verdict.Status.UNKNOWN, "unavailable"));
        for (int i = 0; i < 3; i++) {
            answer("t#r" + i, "What is the capital of Bhutan?", "Thimphu.", "m", at.plusSeconds(6 + i), Optional.empty());
        }
        answer("t#x", "Thanks!", "You are welcome.", "memory", at.plusSeconds(10), Optional.empty());

        var curiosity = curiosity(1);
        var collected = curiosity.collect(BUCKET);
        var gaps = new BatchRecords(MAPPER, 512).readGaps(store.read(collected.gapsUri()).orElseThrow());

        assertThat(gaps).extracting(KnowledgeGap::question, KnowledgeGap::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple("Who wrote the Iliad?", KnowledgeGap.CONTRADICTED),
                org.assertj.core.groups.Tuple.tuple("What is the boiling point of ethanol?", KnowledgeGap.UNVERIFIED),
                org.assertj.core.groups.Tuple.tuple("How tall is Mount Kenya?", KnowledgeGap.MEMORY_ANSWER),
                org.assertj.core.groups.Tuple.tuple("What is the capital of Bhutan?", KnowledgeGap.REPEATED_QUESTION));
        assertThat(gaps).extracting(KnowledgeGap::recordId).containsExactly("R0000000000", "R0000000001",
                "R0000000002", "R0000000003");
        assertThat(collected.count()).isEqualTo(4);
        assertThat(collected.runId()).startsWith("20260301-");
    }

    @Test
    void build_writesOneDocumentedRecordPerGap() throws Exception {
        seedGaps(3, clock.instant().minus(Duration.ofHours(1)));
        var curiosity = curiosity(1);

        var input = curiosity.build(curiosity.collect(BUCKET), BUCKET);

        assertThat(input.inputUri()).isEqualTo("s3://cato-batch/input/curiosity/" + input.runId() + "/records.jsonl");
        assertThat(input.outputUri()).isEqualTo("s3://cato-batch/output/curiosity/" + input.runId() + "/");
        String[] lines = new String(store.read(input.inputUri()).orElseThrow(), StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(3);
        for (String line : lines) {
            JsonNode record = MAPPER.readTree(line);
            assertThat(record.properties()).extracting(java.util.Map.Entry::getKey)
                    .containsExactly("recordId", "modelInput");
            assertThat(record.path("recordId").asText()).matches("[A-Za-z0-9]{11}");
            JsonNode body = record.path("modelInput");
            assertThat(body.path("anthropic_version").asText()).isEqualTo("bedrock-2023-05-31");
            assertThat(body.path("max_tokens").isInt()).isTrue();
            assertThat(body.path("messages")).hasSize(1);
            assertThat(body.path("messages").path(0).path("role").asText()).isEqualTo("user");
            assertThat(body.path("messages").path(0).path("content").path(0).path("type").asText()).isEqualTo("text");
            assertThat(body.path("messages").path(0).path("content").path(0).path("text").asText())
                    .contains("Question number");
        }
    }

    @Test
    void fewerGapsThanTheMinimum_areCarriedToTheNextNight_withTheNewOnes() {
        var curiosity = curiosity(5);
        seedGaps(3, clock.instant().minus(Duration.ofHours(2)));

        var tonight = curiosity.collect(BUCKET);
        List<String> writtenTonight = store.list("s3://");
        clock.advance(Duration.ofDays(1));
        seedGaps(2, clock.instant().minus(Duration.ofHours(2)));
        var tomorrow = curiosity.collect(BUCKET);

        assertThat(tonight.belowMinimum()).isTrue();
        assertThat(tonight.gapsUri()).isNull();
        assertThat(writtenTonight).isEmpty();
        assertThat(tomorrow.belowMinimum()).isFalse();
        assertThat(tomorrow.count()).isEqualTo(5);
        assertThat(tomorrow.from()).isNull();
    }

    @Test
    void submitRetried_startsOneJob_andAdvanceMovesTheWatermarkOnce() {
        seedGaps(2, clock.instant().minus(Duration.ofHours(1)));
        var curiosity = curiosity(1);
        var collected = curiosity.collect(BUCKET);
        var input = curiosity.build(collected, BUCKET);

        var first = curiosity.submit(input, ROLE);
        var retried = curiosity.submit(curiosity.build(collected, BUCKET), ROLE);

        assertThat(retried.jobArn()).isEqualTo(first.jobArn());
        assertThat(bedrock.submissions()).hasSize(2);
        assertThat(bedrock.jobs()).isEqualTo(1);
        var request = bedrock.submissions().getFirst();
        assertThat(request.clientRequestToken()).matches("[a-zA-Z0-9]{1,256}(-*[a-zA-Z0-9]){0,256}");
        assertThat(request.jobName()).startsWith("cato-test-curiosity-").hasSizeLessThanOrEqualTo(63);
        assertThat(curiosity.advance(collected).advanced()).isTrue();
        assertThat(curiosity.advance(collected).advanced()).isFalse();
        assertThat(curiosity.collect(BUCKET).count()).isZero();
    }

    @Test
    void partialCompletion_ingestsTheAnswers_reportsFailedAndMissingRecords_andARepeatAddsNothing() {
        seedGaps(4, clock.instant().minus(Duration.ofHours(1)));
        var curiosity = curiosity(1);
        var input = curiosity.build(curiosity.collect(BUCKET), BUCKET);
        String arn = curiosity.submit(input, ROLE).jobArn();
        bedrock.setStatus(arn, "PartiallyCompleted");
        String folder = input.outputUri() + "job1/";
        store.write(folder + "records.jsonl.out", String.join("\n",
                output("R0000000000", "The Kelvin scale starts at absolute zero. It is used in physics."),
                output("R0000000001", "UNKNOWN"),
                "{\"recordId\":\"R0000000002\",\"modelInput\":{},\"error\":{\"errorCode\":429,"
                        + "\"errorMessage\":\"Too many tokens\"}}").getBytes(StandardCharsets.UTF_8));
        store.write(folder + "manifest.json.out", ("{\"totalRecordCount\":4,\"processedRecordCount\":3,"
                + "\"successRecordCount\":2,\"errorRecordCount\":1,\"inputTokenCount\":900,\"outputTokenCount\":80}")
                .getBytes(StandardCharsets.UTF_8));

        var first = curiosity.ingest(arn);
        var again = curiosity.ingest(arn);

        assertThat(first.ingested()).isEqualTo(2);
        assertThat(first.answered()).isEqualTo(2);
        assertThat(first.unanswered()).isEqualTo(1);
        assertThat(first.failed()).extracting(Curiosity.FailedRecord::recordId, Curiosity.FailedRecord::error)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("R0000000002", "429 Too many tokens"),
                        org.assertj.core.groups.Tuple.tuple("R0000000003", "missing from the job's output"));
        assertThat(first.failedCount()).isEqualTo(2);
        assertThat(new String(store.read(first.failedUri()).orElseThrow(), StandardCharsets.UTF_8).lines())
                .hasSize(2).allMatch(line -> line.contains("\"sourceRef\":\"t#s"));
        assertThat(first.manifest()).isEqualTo(new Curiosity.Manifest(4, 3, 2, 1));
        List<Fact> facts = memory.inDomain("t", "science", 100);
        assertThat(facts).extracting(Fact::source).containsOnly(Fact.FROM_CURIOSITY);
        assertThat(facts).extracting(Fact::sourceRef).containsOnly(arn + "#R0000000000");
        assertThat(again.repeated()).isTrue();
        assertThat(again.ingested()).isZero();
        assertThat(memory.inDomain("t", "science", 100)).hasSize(2);
    }

    @Test
    void ingestBeforeTheJobEnded_isRefused() {
        seedGaps(1, clock.instant().minus(Duration.ofHours(1)));
        var curiosity = curiosity(1);
        String arn = curiosity.submit(curiosity.build(curiosity.collect(BUCKET), BUCKET), ROLE).jobArn();
        bedrock.setStatus(arn, "InProgress");

        assertThatThrownBy(() -> curiosity.ingest(arn)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("InProgress");
    }

    private static String output(String recordId, String text) {
        return "{\"recordId\":\"" + recordId + "\",\"modelInput\":{\"anthropic_version\":\"bedrock-2023-05-31\"},"
                + "\"modelOutput\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":"
                + "[{\"type\":\"text\",\"text\":\"" + text + "\"}],\"stop_reason\":\"end_turn\","
                + "\"usage\":{\"input_tokens\":40,\"output_tokens\":20}}}";
    }

    private void seedGaps(int count, Instant at) {
        for (int i = 0; i < count; i++) {
            String question = "Question number " + at.getEpochSecond() + " " + i + " about science?";
            answer("t#s" + at.getEpochSecond() + i, question, "Not sure.", "memory", at.plusSeconds(i), Optional.empty());
        }
    }

    private void answer(String session, String query, String answer, String model, Instant at,
                        Optional<Verdict> verdict) {
        String domain = session.startsWith("t#s") ? "science" : "general";
        var turn = sessions.append(session, new TurnDraft(query, answer, model, at, domain));
        verdict.ifPresent(v -> sessions.recordVerdict(session, turn.seq(), v));
    }

    private Optional<Verdict> verdict(Verdict.Status status, String nli) {
        return Optional.of(new Verdict(status, "unavailable", nli, Optional.empty(), Optional.empty(),
                Optional.empty(), clock.instant()));
    }
}
