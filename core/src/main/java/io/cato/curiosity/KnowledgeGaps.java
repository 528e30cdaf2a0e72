package io.cato.curiosity;

import io.cato.embedding.Embedder;
import io.cato.embedding.VectorMath;
import io.cato.memory.Fact;
import io.cato.memory.SemanticMemory;
import io.cato.model.MemoryAnswerer;
import io.cato.session.InteractionLog;
import io.cato.session.InteractionLog.Interaction;
import io.cato.session.Turn;
import io.cato.session.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the questions worth asking again among the turns of a window:
 * <ul>
 *   <li>answers the verify workflow found {@code contradicted};</li>
 *   <li>answers it could not settle ({@code unknown}) although at least one check ran: when both
 *       the probe and NLI were unavailable, the verdict says nothing about the answer;</li>
 *   <li>answers of the memory tier, given while no model was reachable;</li>
 *   <li>questions asked again and again (at least {@link Limits#repeatedAsks} times, across
 *       sessions) for which semantic memory holds no similar fact. The semantic cache keeps no
 *       log of its misses, so repetition in the turns stands in for "frequent cache misses".</li>
 * </ul>
 * One gap per question (same tenant, domain and normalised text), however many turns asked it.
 */
public final class KnowledgeGaps {

    /** What counts as a gap and how much is read. */
    public record Limits(int interactionsScanned, int repeatedAsks, double knownSimilarity, int factsScanned,
                         int minQuestionWords) {
        public static final Limits DEFAULT = new Limits(200_000, 3, 0.6, 1000, 3);
    }

    /** The gaps of a window, oldest first; {@code until} is where the next window starts. */
    public record Found(List<KnowledgeGap> gaps, Instant until) {
    }

    private final InteractionLog log;
    private final SemanticMemory memory;
    private final Embedder embedder;
    private final Limits limits;

    public KnowledgeGaps(InteractionLog log, SemanticMemory memory, Embedder embedder, Limits limits) {
        this.log = log;
        this.memory = memory;
        this.embedder = embedder;
        this.limits = limits;
    }

    /** At most {@code maxGaps} gaps asked in {@code [from, until]}; when there were more, {@code until} moves back to the last one kept. */
    public Found find(Instant from, Instant until, int maxGaps) {
        List<Interaction> turns = log.between(from, until, limits.interactionsScanned());
        Map<String, KnowledgeGap> gaps = new LinkedHashMap<>();
        Map<String, List<Interaction>> asked = new LinkedHashMap<>();
        for (Interaction interaction : turns) {
            Turn turn = interaction.turn();
            if (words(turn.query()) < limits.minQuestionWords()) {
                continue;
            }
            String key = key(interaction.tenant(), turn.domain(), turn.query());
            asked.computeIfAbsent(key, k -> new ArrayList<>()).add(interaction);
            reason(turn).ifPresent(reason -> gaps.putIfAbsent(key, gap(interaction, reason)));
        }
        asked.forEach((key, interactions) -> {
            if (!gaps.containsKey(key) && interactions.size() >= limits.repeatedAsks()
                    && !known(interactions.getLast())) {
                gaps.put(key, gap(interactions.getLast(), KnowledgeGap.REPEATED_QUESTION));
            }
        });
        List<KnowledgeGap> ordered = gaps.values().stream()
                .sorted(Comparator.comparing((KnowledgeGap g) -> Instant.parse(g.at()))
                        .thenComparing(KnowledgeGap::sourceRef)).toList();
        if (ordered.size() <= maxGaps) {
            return new Found(numbered(ordered), until);
        }
        List<KnowledgeGap> kept = ordered.subList(0, maxGaps);
        return new Found(numbered(kept), Instant.parse(kept.getLast().at()));
    }

    static Optional<String> reason(Turn turn) {
        if (MemoryAnswerer.MODEL.equals(turn.model())) {
            return Optional.of(KnowledgeGap.MEMORY_ANSWER);
        }
        return turn.verdict().flatMap(verdict -> switch (verdict.status()) {
            case CONTRADICTED -> Optional.of(KnowledgeGap.CONTRADICTED);
            case UNKNOWN -> checked(verdict) ? Optional.of(KnowledgeGap.UNVERIFIED) : Optional.empty();
            case SUPPORTED -> Optional.empty();
        });
    }

    private static boolean checked(Verdict verdict) {
        return !"unavailable".equals(verdict.probe()) || !"unavailable".equals(verdict.nli());
    }

    private boolean known(Interaction interaction) {
        Turn turn = interaction.turn();
        float[] question = embedder.encode(turn.query()).pooled();
        return memory.inDomain(interaction.tenant(), turn.domain(), limits.factsScanned()).stream()
                .map(Fact::vector).anyMatch(v -> VectorMath.cosine(question, v) >= limits.knownSimilarity());
    }

    private static KnowledgeGap gap(Interaction interaction, String reason) {
        Turn turn = interaction.turn();
        return new KnowledgeGap(null, interaction.tenant(), turn.domain(), turn.query().strip(), reason,
                interaction.reference(), turn.at().toString());
    }

    private static List<KnowledgeGap> numbered(List<KnowledgeGap> gaps) {
        List<KnowledgeGap> out = new ArrayList<>(gaps.size());
        for (int i = 0; i < gaps.size(); i++) {
            out.add(gaps.get(i).withRecordId(KnowledgeGap.recordId(i)));
        }
        return out;
    }

    private static String key(String tenant, String domain, String question) {
        return tenant + '\u0000' + domain + '\u0000' + normalised(question);
    }

    static String normalised(String question) {
        return question.strip().toLowerCase(Locale.ROOT).replaceAll("[\\p{Punct}\\s]+", " ").strip();
    }

    private static int words(String text) {
        String normalised = normalised(text);
        return normalised.isEmpty() ? 0 : normalised.split(" ").length;
    }
}
