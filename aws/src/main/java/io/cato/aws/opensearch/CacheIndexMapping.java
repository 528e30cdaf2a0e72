package io.cato.aws.opensearch;

import org.opensearch.client.opensearch._types.mapping.DynamicMapping;
import org.opensearch.client.opensearch._types.mapping.Property;
import org.opensearch.client.opensearch._types.mapping.TypeMapping;
import org.opensearch.client.opensearch.indices.IndexSettings;

/**
 * Settings and mapping of the cache index: an HNSW graph over the question vectors (engine and
 * space from {@link KnnEngine}), keyword fields for the exact-match filters and the lookups by
 * entry id, and everything else kept in {@code _source} only. Strict, so a misspelt field fails
 * the write instead of growing the mapping.
 */
final class CacheIndexMapping {
    static final String METHOD = "hnsw";

    private CacheIndexMapping() {
    }

    static IndexSettings settings() {
        return IndexSettings.of(s -> s.knn(true));
    }

    static TypeMapping mapping(int dimension, KnnEngine engine) {
        return TypeMapping.of(m -> m
                .dynamic(DynamicMapping.Strict)
                .properties(CacheDocument.ID, keyword())
                .properties(CacheDocument.SCOPE, keyword())
                .properties(CacheDocument.DOMAIN, keyword())
                .properties(CacheDocument.TENANT, keyword())
                .properties(CacheDocument.SCOPE_MODEL, keyword())
                .properties(CacheDocument.SYSTEM, keyword())
                .properties(CacheDocument.CREATED, Property.of(p -> p.long_(l -> l)))
                .properties(CacheDocument.EXPIRES, Property.of(p -> p.long_(l -> l)))
                .properties(CacheDocument.VECTOR, Property.of(p -> p.knnVector(v -> v
                        .dimension(dimension)
                        .method(k -> k.name(METHOD).engine(engine.engine()).spaceType(engine.spaceType())))))
                .properties(CacheDocument.QUESTION, storedOnly())
                .properties(CacheDocument.ANSWER, storedOnly())
                .properties(CacheDocument.MODEL, storedOnly())
                .properties(CacheDocument.TIER, storedOnly())
                .properties(CacheDocument.ENCODING, Property.of(p -> p.binary(b -> b))));
    }

    private static Property keyword() {
        return Property.of(p -> p.keyword(k -> k));
    }

    /** In {@code _source} for reading back, never searchable: cached text is not a search corpus. */
    private static Property storedOnly() {
        return Property.of(p -> p.text(t -> t.index(false)));
    }
}
