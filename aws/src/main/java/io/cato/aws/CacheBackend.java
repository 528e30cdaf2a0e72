package io.cato.aws;

import io.cato.cache.VectorIndex;
import io.cato.embedding.Embedder;
import io.cato.embedding.MiniLmTokenEncoder;
import io.cato.verifier.DuplicateVerifier;

/**
 * The semantic cache's process-wide parts: the embedding model, the duplicate verifier and the vector index.
 * Built once per process (SnapStart: before the snapshot) and closed with it.
 */
public record CacheBackend(Embedder embedder, DuplicateVerifier verifier, VectorIndex index) implements AutoCloseable {
    /** Loads the in-process MiniLM model and the shipped verifier next to {@code index}. */
    public static CacheBackend load(VectorIndex index) {
        return new CacheBackend(MiniLmTokenEncoder.load(1), DuplicateVerifier.loadDefault(), index);
    }

    @Override
    public void close() {
        index.close();
        if (embedder instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot close the embedding model", e);
            }
        }
    }
}
