package io.cato.verifier;

import io.cato.embedding.EncodedQuery;

/**
 * A dense description of how two questions relate, for a learned head: the element-wise agreement
 * and difference of the pooled vectors, and the meaning
 * of whatever each question has that the other lacks (token vectors weighted by rarity and by how
 * poorly they align). The head can then learn that an unmatched "fast" is harmless while an
 * unmatched country name is not. Every block is symmetric in the two questions.
 */
final class InteractionVector {

    private static final int D = EncodedQuery.DIMENSION;
    static final int SIZE = 4 * D;

    private final TokenWeights weights;

    InteractionVector(TokenWeights weights) {
        this.weights = weights;
    }

    float[] compute(EncodedQuery a, EncodedQuery b) {
        return compute(a, b, TokenDots.of(a, b));
    }

    float[] compute(EncodedQuery a, EncodedQuery b, TokenDots dots) {
        float[] out = new float[SIZE];
        for (int d = 0; d < D; d++) {
            float u = a.pooledComponent(d);
            float v = b.pooledComponent(d);
            out[d] = u * v;
            out[D + d] = Math.abs(u - v);
        }
        float[] ra = new float[D];
        float[] rb = new float[D];
        residual(a, b, dots, ra);
        residual(b, a, dots, rb);
        for (int d = 0; d < D; d++) {
            out[2 * D + d] = ra[d] + rb[d];
            out[3 * D + d] = Math.abs(ra[d] - rb[d]);
        }
        return out;
    }

    /** Adds to {@code residual} each of {@code from}'s token vectors weighted by idf × (1 − best similarity in {@code to}). */
    private void residual(EncodedQuery from, EncodedQuery to, TokenDots dots, float[] residual) {
        float[] vector = new float[D];
        for (int i = 0; i < from.tokenCount(); i++) {
            if (weights.ignored(from.tokenId(i))) {
                continue;
            }
            float best = -1;
            for (int j = 0; j < to.tokenCount(); j++) {
                if (!weights.ignored(to.tokenId(j))) {
                    best = Math.max(best, dots.similarity(from, i, to, j));
                }
            }
            float w = weights.idf(from.tokenId(i)) * (1 - Math.max(best, 0));
            from.tokenVector(i, vector);
            for (int d = 0; d < D; d++) {
                residual[d] += w * vector[d];
            }
        }
    }
}
