package io.cato.curiosity;

import com.fasterxml.jackson.databind.JsonNode;
import io.cato.digest.Sha256;
import io.cato.memory.CandidateFact;
import io.cato.memory.Fact;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The curiosity workflow's steps: collect the knowledge gaps since the watermark, write them
 * as Bedrock batch input, submit the job, advance the watermark, poll the job, and ingest its
 * answers as facts with provenance ({@code source = curiosity}, {@code source_ref = jobArn#recordId}).
 *
 * <p>Every step may run again with the same input: the run id derives from the night and the
 * gaps, the job's client request token from the run id and the records, so a retried submit
 * finds the job it started; fact ids derive from the statement and a job is ingested once.
 * Fewer gaps than the model's minimum records per job leave the watermark where it is, so they
 * are collected again the next night, with that night's gaps.
 */
public final class Curiosity {
    public static final String WORKFLOW = "curiosity";
    private static final java.time.Duration SETTLE = java.time.Duration.ofSeconds(2);
    private static final DateTimeFormatter NIGHT = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

    /**
     * @param jobNamePrefix the batch job name's start (the completion rule matches on it)
     * @param minimumRecords the model's minimum records per job (Bedrock: 100 for most models)
     * @param maximumRecords records per job at most; more gaps wait for the next night. The default
     *     keeps one ingestion (a few facts per answer, each embedded and written) well inside the
     *     function's ten minutes; Bedrock itself takes up to 50,000
     */
    public record Tuning(String modelId, String jobNamePrefix, int minimumRecords, int maximumRecords, int maxTokens,
                         int pollSeconds) {
        public static Tuning defaults(String modelId, String jobNamePrefix) {
            return new Tuning(modelId, jobNamePrefix, 100, 5_000, 512, 900);
        }
    }

    /** Step {@code collect}'s result; {@code from} is null before the first submitted job. */
    public record Collected(String runId, int count, boolean belowMinimum, int minimum, String from, String until,
                            String gapsUri) {
    }

    /** Step {@code build}'s result: where the JSONL is and where the job writes its output. */
    public record BatchInput(String runId, String inputUri, String gapsUri, String outputUri, int records,
                             String recordsDigest) {
    }

    /** A submitted job as the poll loop passes it along. */
    public record Job(String jobArn, String status, int pollSeconds, String message) {
    }

    public record Advanced(boolean advanced, String watermark) {
    }

    /** A record that did not become facts, and why: the job's error, or {@code missing from the output}. */
    public record FailedRecord(String recordId, String sourceRef, String error) {
    }

    /** The manifest.json.out counts. */
    public record Manifest(long totalRecordCount, long processedRecordCount, long successRecordCount,
                           long errorRecordCount) {
    }


    /** Failed records listed in the step's result; the state a step passes on is limited to 256 KB. */
    public static final int FAILED_REPORTED = 20;


    private final CuriosityParts parts;
    private final Tuning tuning;
    private final BatchRecords records;

    public Curiosity(CuriosityParts parts, Tuning tuning) {
        this.parts = parts;
        this.tuning = tuning;
        this.records = new BatchRecords(parts.mapper(), tuning.maxTokens());
    }

    /** Step {@code collect}: the gaps since the watermark; unless too few for a job, kept in {@code bucket}. */
    public Collected collect(String bucket) {
        Optional<Instant> from = parts.watermarks().get(WORKFLOW);
        Instant now = parts.clock().instant();
        // A turn being written right now carries a time a moment ago: the window ends that far
        // back, so the next night reads such turns.
        KnowledgeGaps.Found found = parts.gaps().find(from.orElse(Instant.EPOCH), now.minus(SETTLE),
                tuning.maximumRecords());
        List<KnowledgeGap> gaps = found.gaps();
        String runId = NIGHT.format(now) + "-" + digest(records.gapsFile(gaps)).substring(0, 12);
        boolean below = gaps.size() < tuning.minimumRecords();
        String gapsUri = null;
        if (!below) {
            gapsUri = BatchUri.of(requireBucket(bucket), "input/curiosity/" + runId + "/gaps.jsonl");
            parts.store().write(gapsUri, records.gapsFile(gaps));
        }
        return new Collected(runId, gaps.size(), below, tuning.minimumRecords(),
                from.map(Instant::toString).orElse(null), found.until().toString(), gapsUri);
    }

    /** Step {@code build}: one {@code {recordId, modelInput}} line per gap, next to the gaps. */
    public BatchInput build(Collected collected, String bucket) {
        if (collected.gapsUri() == null) {
            throw new IllegalArgumentException("run " + collected.runId() + " has no gaps file: below the minimum");
        }
        List<KnowledgeGap> gaps = readGaps(collected.gapsUri());
        byte[] jsonl = records.input(gaps);
        String folder = "curiosity/" + collected.runId() + "/";
        String inputUri = BatchUri.of(requireBucket(bucket), "input/" + folder + "records.jsonl");
        parts.store().write(inputUri, jsonl);
        return new BatchInput(collected.runId(), inputUri, collected.gapsUri(),
                BatchUri.of(bucket, "output/" + folder), gaps.size(), digest(jsonl).substring(0, 16));
    }

    /** Step {@code submit}: CreateModelInvocationJob, with a client request token from the run and its records. */
    public Job submit(BatchInput input, String roleArn) {
        if (roleArn == null || roleArn.isBlank()) {
            throw new IllegalArgumentException("submit needs the role Bedrock assumes (roleArn)");
        }
        String token = "curiosity-" + input.runId() + "-" + input.recordsDigest();
        String arn = parts.inference().submit(new BatchInference.JobRequest(tuning.jobNamePrefix() + input.runId(),
                token, tuning.modelId(), roleArn, input.inputUri(), input.outputUri()));
        return new Job(arn, "Submitted", tuning.pollSeconds(), null);
    }

    /** Step {@code advance}: the gaps are in a job now, so the next night starts after them. */
    public Advanced advance(Collected collected) {
        Optional<Instant> from = Optional.ofNullable(collected.from()).map(Instant::parse);
        boolean moved = parts.watermarks().advance(WORKFLOW, from, Instant.parse(collected.until()));
        return new Advanced(moved, parts.watermarks().get(WORKFLOW).map(Instant::toString).orElse(null));
    }

    /** Step {@code status}: GetModelInvocationJob, the reconcile next to the completion event. */
    public Job status(Job job) {
        BatchInference.JobStatus status = parts.inference().status(job.jobArn());
        return new Job(job.jobArn(), status.status(), tuning.pollSeconds(), status.message().orElse(null));
    }

    /** Step {@code ingest}: the job's answers become facts; failed records are reported; a job is ingested once. */
    public IngestionReport ingest(String jobArn) {
        Optional<IngestionReport> earlier = parts.ledger().find(jobArn);
        if (earlier.isPresent()) {
            return earlier.get().asRepeat();
        }
        BatchInference.JobStatus job = parts.inference().status(jobArn);
        if (!job.hasResults()) {
            throw new IllegalArgumentException("job " + jobArn + " is " + job.status() + ": no results to ingest");
        }
        String outputPrefix = outputPrefix(job);
        Map<String, KnowledgeGap> gaps = new LinkedHashMap<>();
        readGaps(gapsUriOf(job.inputUri())).forEach(g -> gaps.put(g.recordId(), g));
        Tally tally = new Tally();
        for (String uri : parts.store().list(outputPrefix)) {
            if (uri.endsWith(".jsonl.out")) {
                byte[] content = parts.store().read(uri).orElse(new byte[0]);
                records.results(content).forEach(result -> ingest(jobArn, gaps.remove(result.recordId()), result, tally));
            }
        }
        gaps.values().forEach(g -> tally.failed.add(failed(g, "missing from the job's output")));
        String failedUri = null;
        if (!tally.failed.isEmpty()) {
            failedUri = outputPrefix + "failed-records.jsonl";
            parts.store().write(failedUri, jsonl(tally.failed));
        }
        IngestionReport report = IngestionReport.builder().jobArn(jobArn).status(job.status()).ingested(tally.ingested)
                .alreadyPresent(tally.present).answered(tally.answered).unanswered(tally.unanswered)
                .failedCount(tally.failed.size()).failed(tally.failed.stream().limit(FAILED_REPORTED).toList())
                .failedUri(failedUri).manifest(manifest(outputPrefix + "manifest.json.out")).repeated(false).build();
        return parts.ledger().record(report) ? report : parts.ledger().find(jobArn).orElse(report).asRepeat();
    }

    private void ingest(String jobArn, KnowledgeGap gap, BatchRecords.Result result, Tally tally) {
        if (gap == null) {
            return; // Not a record of this run's gaps file, or its second line: nothing to file it under.
        }
        if (result.error().isPresent() || result.answer().isEmpty()) {
            tally.failed.add(failed(gap, result.error().orElse("no answer")));
            return;
        }
        tally.answered++;
        String answer = result.answer().get();
        List<CandidateFact> candidates = answer.strip().startsWith(BatchRecords.UNKNOWN)
                ? List.of() : parts.extractor().extract(gap.question(), answer, gap.domain());
        if (candidates.isEmpty()) {
            tally.unanswered++;
        }
        Instant now = parts.clock().instant();
        for (CandidateFact candidate : candidates) {
            Fact fact = Fact.builder().id(Fact.idFor(gap.tenant(), gap.domain(), candidate.statement()))
                    .tenant(gap.tenant()).domain(gap.domain()).statement(candidate.statement())
                    .source(Fact.FROM_CURIOSITY).sourceRef(jobArn + "#" + gap.recordId())
                    .confidence(candidate.confidence()).createdAt(now).updatedAt(now)
                    .vector(parts.embedder().encode(candidate.statement()).pooled()).build();
            if (parts.memory().add(fact)) {
                tally.ingested++;
            } else {
                tally.present++;
            }
        }
    }

    private static FailedRecord failed(KnowledgeGap gap, String error) {
        return new FailedRecord(gap.recordId(), gap.sourceRef(), error);
    }

    private byte[] jsonl(List<?> lines) {
        StringBuilder out = new StringBuilder();
        lines.forEach(line -> out.append(parts.mapper().valueToTree(line).toString()).append('\n'));
        return out.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private Manifest manifest(String uri) {
        Optional<byte[]> content = parts.store().read(uri);
        if (content.isEmpty()) {
            return null;
        }
        try {
            JsonNode node = parts.mapper().readTree(content.get());
            return new Manifest(node.path("totalRecordCount").asLong(), node.path("processedRecordCount").asLong(),
                    node.path("successRecordCount").asLong(), node.path("errorRecordCount").asLong());
        } catch (IOException e) {
            return null;
        }
    }

    /** Bedrock writes a job's files under the output URI, in a folder named by the job's id. */
    static String outputPrefix(BatchInference.JobStatus job) {
        String base = job.outputUri().endsWith("/") ? job.outputUri() : job.outputUri() + "/";
        String arn = job.jobArn();
        return base + arn.substring(arn.lastIndexOf('/') + 1) + "/";
    }

    private static String gapsUriOf(String inputUri) {
        return inputUri.substring(0, inputUri.lastIndexOf('/') + 1) + "gaps.jsonl";
    }

    private List<KnowledgeGap> readGaps(String uri) {
        return records.readGaps(parts.store().read(uri)
                .orElseThrow(() -> new IllegalArgumentException("no gaps file at " + uri)));
    }

    private static String requireBucket(String bucket) {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("the step needs the batch bucket (bucket)");
        }
        return bucket;
    }

    private static String digest(byte[] content) {
        return Sha256.hex(content);
    }

    private static final class Tally {
        int ingested;
        int present;
        int answered;
        int unanswered;
        final List<FailedRecord> failed = new ArrayList<>();
    }
}
