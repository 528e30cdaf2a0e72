package io.cato.embedding;

/**
 * Turns a question into what the cache and the router need from one model pass: the pooled
 * sentence vector (for the vector index and the classifier) and the token vectors (for the
 * duplicate verifier). Implementations are loaded once per process and are thread-safe.
 */
public interface Embedder {

    /** Dimension of {@link EncodedQuery#pooled()}. */
    int dimension();

    EncodedQuery encode(String text);
}
