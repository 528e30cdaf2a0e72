package io.cato.verifier;

import io.cato.embedding.EncodedQuery;

/**
 * The integer dot products of every token vector of one question with every token vector of the
 * other, computed once per pair for all the features that compare tokens. The quantised vectors
 * are widened to int first, which lets the loop run in SIMD lanes; integer sums do not depend on
 * their order, so every similarity is bit-for-bit what {@link EncodedQuery#tokenSimilarity} gives.
 */
final class TokenDots {
    private final EncodedQuery a;
    private final EncodedQuery b;
    private final int columns;
    private final int[] dots;

    private TokenDots(EncodedQuery a, EncodedQuery b, int[] dots) {
        this.a = a;
        this.b = b;
        this.columns = b.tokenCount();
        this.dots = dots;
    }

    static TokenDots of(EncodedQuery a, EncodedQuery b) {
        int n = a.tokenCount();
        int m = b.tokenCount();
        int[] wa = a.widenedTokenVectors();
        int[] wb = b.widenedTokenVectors();
        int[] dots = new int[n * m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                dots[i * m + j] = dot(wa, i * EncodedQuery.DIMENSION, wb, j * EncodedQuery.DIMENSION);
            }
        }
        return new TokenDots(a, b, dots);
    }

    private static int dot(int[] x, int from, int[] y, int at) {
        int sum = 0;
        for (int d = 0; d < EncodedQuery.DIMENSION; d++) {
            sum += x[from + d] * y[at + d];
        }
        return sum;
    }

    /** As {@code a.tokenSimilarity(i, b, j)}. */
    private float similarity(int i, int j) {
        return a.similarityOfDot(dots[i * columns + j], i, b, j);
    }

    /** As {@code b.tokenSimilarity(j, a, i)}: the same pair seen from the second question. */
    private float reverseSimilarity(int j, int i) {
        return b.similarityOfDot(dots[i * columns + j], j, a, i);
    }

    /** The similarity of {@code from}'s token {@code i} to {@code to}'s token {@code j}, where the two are this pair. */
    float similarity(EncodedQuery from, int i, EncodedQuery to, int j) {
        if (from == a && to == b) {
            return similarity(i, j);
        }
        if (from == b && to == a) {
            return reverseSimilarity(i, j);
        }
        throw new IllegalArgumentException("not the questions of this pair");
    }
}
