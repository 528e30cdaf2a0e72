package io.cato.embedding;

import java.util.concurrent.atomic.AtomicInteger;

/** Wraps an embedder and counts model passes, to check that a query is encoded once per request. */
public final class CountingEmbedder implements Embedder {
    private final Embedder delegate;
    private final AtomicInteger calls = new AtomicInteger();

    public CountingEmbedder(Embedder delegate) {
        this.delegate = delegate;
    }

    /** An encoder whose pooled vector is the same unit vector for every text: for tests that need no meaning. */
    public static Embedder constant() {
        return new Embedder() {
            @Override
            public int dimension() {
                return EncodedQuery.DIMENSION;
            }

            @Override
            public EncodedQuery encode(String text) {
                float[] pooled = new float[EncodedQuery.DIMENSION];
                pooled[0] = 1f;
                return EncodedQuery.of(text, new int[0], new float[0][], pooled);
            }
        };
    }

    public int calls() {
        return calls.get();
    }

    @Override
    public int dimension() {
        return delegate.dimension();
    }

    @Override
    public EncodedQuery encode(String text) {
        calls.incrementAndGet();
        return delegate.encode(text);
    }
}
