package io.cato.memory;

import io.cato.embedding.Embedder;
import io.cato.embedding.EncodedQuery;
import io.cato.embedding.VectorMath;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retrieves what long-term memory knows about a new query: the most similar facts of its domain
 * and the most similar past exchanges. The answer path puts them into the model's context, where
 * the memory answer tier finds them too.
 */
public final class MemoryRecall {
    private static final Logger LOG = LoggerFactory.getLogger(MemoryRecall.class);

    /** How much is recalled: facts scanned and kept per query, episodes kept, and the similarity each needs. */
    public record Limits(int factsScanned, int factsKept, double minFactSimilarity, int episodesKept,
                         double minEpisodeSimilarity) {
        public static final Limits DEFAULT = new Limits(500, 5, 0.35, 2, 0.6);
    }

    /** What was recalled for one query. */
    public record Recollection(List<Fact> facts, List<EpisodicMemory.Episode> episodes) {
        public static final Recollection NOTHING = new Recollection(List.of(), List.of());

        public boolean isEmpty() {
            return facts.isEmpty() && episodes.isEmpty();
        }

        /** The recollection as text for the system prompt; each fact a sentence of its own. */
        public Optional<String> asContext() {
            if (isEmpty()) {
                return Optional.empty();
            }
            StringBuilder text = new StringBuilder("Facts from long-term memory\n");
            facts.forEach(f -> text.append(f.statement()).append('\n'));
            if (!episodes.isEmpty()) {
                text.append("Earlier exchanges on this topic\n");
                episodes.forEach(e -> text.append("Q: ").append(e.query()).append('\n')
                        .append(e.answer()).append('\n'));
            }
            return Optional.of(text.toString().strip());
        }
    }

    private final SemanticMemory facts;
    private final Optional<EpisodicMemory> episodes;
    private final Embedder embedder;
    private final Clock clock;
    private final Limits limits;

    public MemoryRecall(SemanticMemory facts, Optional<EpisodicMemory> episodes, Embedder embedder, Clock clock,
                        Limits limits) {
        this.facts = facts;
        this.episodes = episodes;
        this.embedder = embedder;
        this.clock = clock;
        this.limits = limits;
    }

    /** Never fails the query: when memory cannot be read, the answer goes on without it. */
    public Recollection recall(String tenant, String domain, String query) {
        return recall(tenant, domain, query, Optional.empty());
    }

    /**
     * @param encoded the query's encoding when the cache lookup already made one, so recall needs no second model
     *                pass; when memory holds neither facts of the domain nor episodes, no pass is made at all
     */
    public Recollection recall(String tenant, String domain, String query, Optional<EncodedQuery> encoded) {
        try {
            List<Fact> inDomain = facts.inDomain(tenant, domain, limits.factsScanned());
            if (inDomain.isEmpty() && episodes.map(e -> e.size() == 0).orElse(true)) {
                return Recollection.NOTHING;
            }
            float[] vector = encoded.map(EncodedQuery::pooled).orElseGet(() -> embedder.encode(query).pooled());
            List<Fact> relevant = inDomain.stream()
                    .map(f -> new Scored(f, VectorMath.cosine(vector, f.vector())))
                    .filter(s -> s.similarity >= limits.minFactSimilarity())
                    .sorted(Comparator.comparingDouble(Scored::similarity).reversed())
                    .limit(limits.factsKept()).map(Scored::fact).toList();
            List<EpisodicMemory.Episode> past = episodes.map(e -> e.recall(tenant, domain, vector,
                    limits.episodesKept(), limits.minEpisodeSimilarity(), clock.instant())).orElse(List.of());
            return new Recollection(relevant, past);
        } catch (RuntimeException e) {
            LOG.atWarn().log(() -> "long-term memory not read, answering without it: " + e.getClass().getSimpleName());
            return Recollection.NOTHING;
        }
    }

    private record Scored(Fact fact, double similarity) {
    }
}
