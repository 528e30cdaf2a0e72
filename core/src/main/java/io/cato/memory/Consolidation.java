package io.cato.memory;

import io.cato.embedding.Embedder;
import io.cato.embedding.VectorMath;
import io.cato.model.MemoryAnswerer;
import io.cato.session.InteractionLog;
import io.cato.session.InteractionLog.Interaction;
import io.cato.session.Turn;
import io.cato.nli.NliClient;
import io.cato.nli.NliResult;
import io.cato.nli.VerifierUnavailableException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The consolidation workflow's steps: read the interactions since the watermark, then for each
 * extract facts, drop those memory already holds, check the rest against related facts with
 * NLI, write facts and the episode; advance the watermark once every interaction is done.
 *
 * <p>Every step can run again with the same input and change nothing more: fact ids derive
 * from the statement, episodes from the turn, and the watermark moves only from where the run
 * found it. The consolidate state machine calls the steps one by one; {@link ConsolidationRun}
 * chains them in-process.
 */
public final class Consolidation {
    public static final String WORKFLOW = "consolidate";
    private static final java.time.Duration SETTLE = java.time.Duration.ofSeconds(2);

    /** Thresholds of the steps. */
    public record Tuning(int batchSize, int factsScanned, double duplicateSimilarity, double relatedSimilarity,
                         int relatedChecked, double contradictionThreshold) {
        public static final Tuning DEFAULT = new Tuning(200, 1000, 0.9, 0.5, 3, 0.5);
    }

    /** One interaction to consolidate, as the read step hands it to the map. */
    public record TurnRef(String session, long seq) {
    }

    /** What the read step found: {@code from} is null before the first successful run. */
    public record Batch(String from, String until, List<TurnRef> items, boolean more) {
    }

    /**
     * A statement on its way to memory.
     *
     * @param duplicateOf the stored fact it repeats, or null
     * @param nli {@code checked}, {@code unavailable} or {@code no_related_facts}; null before the check
     */
    public record Candidate(String statement, double confidence, String duplicateOf, List<String> contradicts,
                            String nli) {
        public Candidate {
            contradicts = contradicts == null ? List.of() : List.copyOf(contradicts);
        }
    }

    /** One interaction's candidates as they pass extract, dedupe and the contradiction check; {@code skipped} says why none. */
    public record Findings(String session, long seq, String tenant, String domain, List<Candidate> candidates,
                           String skipped) {
        public Findings {
            candidates = candidates == null ? List.of() : List.copyOf(candidates);
        }

        Findings with(List<Candidate> next) {
            return new Findings(session, seq, tenant, domain, next, skipped);
        }
    }

    /** What the write step stored for one interaction. */
    public record Written(String session, long seq, int factsWritten, int duplicates, boolean episode) {
    }

    /** The advance step's result. */
    public record Advanced(boolean advanced, String watermark) {
    }

    private final InteractionLog log;
    private final SemanticMemory memory;
    private final Optional<EpisodicMemory> episodes;
    private final FactExtractor extractor;
    private final NliClient nli;
    private final Embedder embedder;
    private final Watermarks watermarks;
    private final Clock clock;
    private final Tuning tuning;

    public Consolidation(InteractionLog log, SemanticMemory memory, Optional<EpisodicMemory> episodes,
                         FactExtractor extractor, NliClient nli, Embedder embedder, Watermarks watermarks, Clock clock,
                         Tuning tuning) {
        this.log = log;
        this.memory = memory;
        this.episodes = episodes;
        this.extractor = extractor;
        this.nli = nli;
        this.embedder = embedder;
        this.watermarks = watermarks;
        this.clock = clock;
        this.tuning = tuning;
    }

    /** Step {@code read}: the interactions since the watermark, oldest first, one batch. */
    public Batch read() {
        Optional<Instant> from = watermarks.get(WORKFLOW);
        Instant now = clock.instant();
        List<Interaction> found = log.between(from.orElse(Instant.EPOCH), now, tuning.batchSize() + 1);
        boolean more = found.size() > tuning.batchSize();
        List<Interaction> batch = more ? found.subList(0, tuning.batchSize()) : found;
        // A turn being written right now carries a time a moment ago: the watermark stays that far
        // behind so the next run reads such turns; turns read twice are consolidated once.
        Instant until = more ? batch.getLast().turn().at() : now;
        Instant settled = now.minus(SETTLE);
        Instant mark = until.isAfter(settled) ? settled : until;
        return new Batch(from.map(Instant::toString).orElse(null), mark.toString(),
                batch.stream().map(i -> new TurnRef(i.sessionKey(), i.turn().seq())).toList(), more);
    }

    /** Step {@code extract}: the statements of fact in the turn's answer. */
    public Findings extract(TurnRef ref) {
        Optional<Turn> found = log.turn(ref.session(), ref.seq());
        String tenant = new Interaction(ref.session(), null).tenant();
        if (found.isEmpty()) {
            return new Findings(ref.session(), ref.seq(), tenant, Turn.DEFAULT_DOMAIN, List.of(), "turn_gone");
        }
        Turn turn = found.get();
        if (MemoryAnswerer.MODEL.equals(turn.model())) {
            // The memory tier only repeats what memory already holds.
            return new Findings(ref.session(), ref.seq(), tenant, turn.domain(), List.of(), "memory_answer");
        }
        List<Candidate> candidates = extractor.extract(turn.query(), turn.answer(), turn.domain()).stream()
                .map(c -> new Candidate(c.statement(), c.confidence(), null, List.of(), null)).toList();
        return new Findings(ref.session(), ref.seq(), tenant, turn.domain(), candidates, null);
    }

    /** Step {@code dedupe}: marks candidates that repeat a stored fact (same id, or an embedding that close). */
    public Findings dedupe(Findings in) {
        List<Fact> stored = memory.inDomain(in.tenant(), in.domain(), tuning.factsScanned());
        List<Candidate> out = new ArrayList<>();
        List<float[]> kept = new ArrayList<>();
        for (Candidate c : in.candidates()) {
            String id = Fact.idFor(in.tenant(), in.domain(), c.statement());
            float[] vector = embedder.encode(c.statement()).pooled();
            String duplicateOf = stored.stream()
                    .filter(f -> f.id().equals(id) || VectorMath.cosine(vector, f.vector()) >= tuning.duplicateSimilarity())
                    .map(Fact::id).findFirst()
                    .orElse(kept.stream().anyMatch(v -> VectorMath.cosine(vector, v) >= tuning.duplicateSimilarity())
                            ? id : null);
            if (duplicateOf == null) {
                kept.add(vector);
            }
            out.add(new Candidate(c.statement(), c.confidence(), duplicateOf, c.contradicts(), c.nli()));
        }
        return in.with(out);
    }

    /** Step {@code contradiction}: checks each new candidate against the most related stored facts with NLI. */
    public Findings checkContradictions(Findings in) {
        List<Fact> stored = memory.inDomain(in.tenant(), in.domain(), tuning.factsScanned());
        List<Candidate> out = new ArrayList<>();
        for (Candidate c : in.candidates()) {
            out.add(c.duplicateOf() != null ? c : check(c, stored));
        }
        return in.with(out);
    }

    private Candidate check(Candidate c, List<Fact> stored) {
        float[] vector = embedder.encode(c.statement()).pooled();
        List<Fact> related = stored.stream()
                .filter(f -> VectorMath.cosine(vector, f.vector()) >= tuning.relatedSimilarity())
                .sorted(Comparator.comparingDouble((Fact f) -> VectorMath.cosine(vector, f.vector())).reversed())
                .limit(tuning.relatedChecked()).toList();
        if (related.isEmpty()) {
            return new Candidate(c.statement(), c.confidence(), null, List.of(), "no_related_facts");
        }
        List<String> contradicted = new ArrayList<>();
        try {
            for (Fact fact : related) {
                NliResult result = nli.judge(fact.statement(), c.statement());
                if (result.label() == NliResult.Label.CONTRADICTION
                        && result.contradiction() >= tuning.contradictionThreshold()) {
                    contradicted.add(fact.id());
                }
            }
        } catch (VerifierUnavailableException e) {
            return new Candidate(c.statement(), c.confidence(), null, List.of(), "unavailable");
        }
        return new Candidate(c.statement(), c.confidence(), null, contradicted, "checked");
    }

    /** Step {@code write}: stores the new facts (contradicted ones with halved confidence) and the episode. */
    public Written write(Findings in) {
        Instant now = clock.instant();
        String reference = in.session() + "#" + in.seq();
        int written = 0;
        int duplicates = 0;
        for (Candidate c : in.candidates()) {
            if (c.duplicateOf() != null) {
                duplicates++;
                continue;
            }
            double confidence = c.contradicts().isEmpty() ? c.confidence() : c.confidence() / 2;
            Fact fact = Fact.builder().id(Fact.idFor(in.tenant(), in.domain(), c.statement())).tenant(in.tenant())
                    .domain(in.domain()).statement(c.statement()).source(Fact.FROM_CONVERSATION).sourceRef(reference)
                    .confidence(confidence).createdAt(now).updatedAt(now)
                    .vector(embedder.encode(c.statement()).pooled()).contradicts(c.contradicts()).build();
            if (memory.add(fact)) {
                written++;
            } else {
                duplicates++;
            }
        }
        boolean episode = false;
        if (in.skipped() == null && episodes.isPresent()) {
            Optional<Turn> turn = log.turn(in.session(), in.seq());
            if (turn.isPresent()) {
                episodes.get().record(new Interaction(in.session(), turn.get()));
                episode = true;
            }
        }
        return new Written(in.session(), in.seq(), written, duplicates, episode);
    }

    /** Step {@code advance}: moves the watermark from where {@code read} found it to the batch's end. */
    public Advanced advance(Batch batch) {
        Optional<Instant> from = Optional.ofNullable(batch.from()).map(Instant::parse);
        Instant until = Instant.parse(batch.until());
        boolean moved = watermarks.advance(WORKFLOW, from, until);
        return new Advanced(moved, watermarks.get(WORKFLOW).map(Instant::toString).orElse(null));
    }
}
