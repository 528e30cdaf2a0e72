package io.cato.memory;

import io.cato.cache.CacheEntry;
import io.cato.cache.CacheScope;
import io.cato.cache.VectorIndex;
import io.cato.digest.Sha256;
import io.cato.embedding.Embedder;
import io.cato.session.InteractionLog.Interaction;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Long-term memory of past exchanges: each consolidated interaction embedded in a vector index
 * of its own (never the semantic cache's), searchable within a tenant's domain. Recording the
 * same interaction again replaces it, so a repeated consolidation step changes nothing.
 */
public final class EpisodicMemory {
    /** The scope's model part that keeps episodes apart from anything else in a shared index. */
    static final String EPISODE_SCOPE = "episode";
    private static final byte[] NO_ENCODING = new byte[0];

    /** A past exchange recalled for a new query. */
    public record Episode(String reference, String query, String answer, Instant at, double similarity) {
    }

    private final Embedder embedder;
    private final VectorIndex index;
    private final Duration retention;

    public EpisodicMemory(Embedder embedder, VectorIndex index, Duration retention) {
        this.embedder = embedder;
        this.index = index;
        this.retention = retention;
    }

    public void record(Interaction interaction) {
        var turn = interaction.turn();
        CacheScope scope = scope(interaction.tenant(), turn.domain());
        index.put(CacheEntry.builder().id(idFor(interaction.reference())).scope(scope).question(turn.query())
                .answer(turn.answer()).model(turn.model()).tier(EPISODE_SCOPE).createdAt(turn.at())
                .expiresAt(turn.at().plus(retention)).vector(embedder.encode(turn.query()).pooled())
                .encoding(NO_ENCODING).build());
    }

    /** Up to {@code k} episodes of the domain whose question is at least {@code minSimilarity} alike. */
    public List<Episode> recall(String tenant, String domain, float[] queryVector, int k, double minSimilarity,
                                Instant now) {
        return index.nearest(queryVector, scope(tenant, domain).key(), k, now).stream()
                .filter(n -> n.similarity() >= minSimilarity)
                .map(n -> new Episode(n.entry().id(), n.entry().question(), n.entry().answer(), n.entry().createdAt(),
                        n.similarity()))
                .toList();
    }

    public long size() {
        return index.size();
    }

    private static CacheScope scope(String tenant, String domain) {
        return new CacheScope(tenant, domain, EPISODE_SCOPE, "");
    }

    static String idFor(String reference) {
        return "ep-" + Sha256.hexPrefix(reference, 16);
    }
}
