package io.cato.aws.opensearch;

/**
 * The k-NN engine and space of the index's HNSW graph, fixed when the index is created. Both
 * filter during the graph search ("efficient filtering"), so a scope with few entries still gets
 * its k nearest. The adapter computes the reported cosine from the stored vectors, not from the
 * engine's score, so either engine gives the same {@code similarity}.
 */
public enum KnnEngine {
    /**
     * Lucene's HNSW with cosine: what a provisioned domain and the local test node run. AWS
     * documents the Lucene engine as not supported on Serverless vector search collections.
     */
    LUCENE("lucene", "cosinesimil"),
    /**
     * Faiss's HNSW with inner product, the engine Serverless vector search collections support.
     * Inner product equals the cosine because the cache's vectors are unit length (the port's
     * promise); Faiss's own cosine space only exists in recent k-NN versions.
     */
    FAISS("faiss", "innerproduct");

    private final String engine;
    private final String spaceType;

    KnnEngine(String engine, String spaceType) {
        this.engine = engine;
        this.spaceType = spaceType;
    }

    /** The {@code method.engine} of the mapping. */
    public String engine() {
        return engine;
    }

    /** The {@code method.space_type} of the mapping. */
    public String spaceType() {
        return spaceType;
    }
}
