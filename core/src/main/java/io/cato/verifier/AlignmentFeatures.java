package io.cato.verifier;

import io.cato.embedding.EncodedQuery;

/**
 * Features from the soft alignment of the two questions' contextual token vectors. Pooled
 * sentence vectors blur a single changed name, number or negation into the average; here every
 * meaningful word piece has to find a close partner on the other side, so one unmatched rare piece
 * stays visible.
 */
final class AlignmentFeatures {

    private static final float[] LOW_SIMILARITY = {0.5f, 0.6f, 0.7f, 0.8f};

    private final TokenWeights weights;

    AlignmentFeatures(TokenWeights weights) {
        this.weights = weights;
    }

    void addTo(FeatureVector out, EncodedQuery a, EncodedQuery b, TokenDots dots) {
        out.add("pooled_cosine", pooledCosine(a, b));
        out.add("cls_similarity", dots.similarity(a, 0, b, 0));
        int[] ia = contentTokens(a);
        int[] ib = contentTokens(b);
        float[][] sim = similarities(dots, a, ia, b, ib);
        Direction ab = Direction.of(sim, ia, a, ib, b, weights, false);
        Direction ba = Direction.of(sim, ib, b, ia, a, weights, true);
        out.addBoth("align_mean", ab.mean, ba.mean);
        out.addBoth("align_idf_mean", ab.idfMean, ba.idfMean);
        out.addBoth("align_min", ab.min, ba.min);
        out.addBoth("align_second_min", ab.secondMin, ba.secondMin);
        out.addBoth("align_unaligned_mass", ab.unalignedMass, ba.unalignedMass);
        out.addBoth("align_worst_idf_gap", ab.worstIdfGap, ba.worstIdfGap);
        out.addBoth("align_worst_token_idf", ab.worstTokenIdf, ba.worstTokenIdf);
        out.addBoth("align_exact_idf_share", ab.exactIdfShare, ba.exactIdfShare);
        out.addBoth("align_inversions", ab.inversions, ba.inversions);
        for (int k = 0; k < LOW_SIMILARITY.length; k++) {
            out.addBoth("align_below_" + LOW_SIMILARITY[k], ab.belowShare[k], ba.belowShare[k]);
        }
        double p = ab.idfMean;
        double r = ba.idfMean;
        out.add("align_f1", p + r > 0 ? 2 * p * r / (p + r) : 0);
        out.add("align_tokens_min", Math.min(ia.length, ib.length));
        out.add("align_tokens_diff", Math.abs(ia.length - ib.length));
    }

    private static double pooledCosine(EncodedQuery a, EncodedQuery b) {
        double dot = 0;
        for (int d = 0; d < EncodedQuery.DIMENSION; d++) {
            dot += a.pooledComponent(d) * b.pooledComponent(d);
        }
        return dot;
    }

    private int[] contentTokens(EncodedQuery q) {
        int[] kept = new int[q.tokenCount()];
        int n = 0;
        for (int t = 0; t < q.tokenCount(); t++) {
            if (!weights.ignored(q.tokenId(t))) {
                kept[n++] = t;
            }
        }
        if (n == 0) {
            // A question of punctuation only still needs something to align: fall back to [CLS].
            return new int[] {0};
        }
        return java.util.Arrays.copyOf(kept, n);
    }

    private static float[][] similarities(TokenDots dots, EncodedQuery a, int[] ia, EncodedQuery b, int[] ib) {
        float[][] sim = new float[ia.length][ib.length];
        for (int i = 0; i < ia.length; i++) {
            for (int j = 0; j < ib.length; j++) {
                sim[i][j] = dots.similarity(a, ia[i], b, ib[j]);
            }
        }
        return sim;
    }

    /** How well the tokens of one question are covered by the other question. */
    private static final class Direction {
        double mean;
        double idfMean;
        double min = 1;
        double secondMin = 1;
        double unalignedMass;
        double worstIdfGap;
        double worstTokenIdf;
        double exactIdfShare;
        double inversions;
        final double[] belowShare = new double[LOW_SIMILARITY.length];

        static Direction of(float[][] sim, int[] from, EncodedQuery fq, int[] to, EncodedQuery tq,
                            TokenWeights weights, boolean transposed) {
            Direction d = new Direction();
            double idfSum = 0;
            double exactIdf = 0;
            int[] partner = new int[from.length];
            for (int i = 0; i < from.length; i++) {
                int best = bestPartner(sim, i, to.length, transposed);
                partner[i] = best;
                double s = transposed ? sim[best][i] : sim[i][best];
                double idf = weights.idf(fq.tokenId(from[i]));
                d.accept(s, idf);
                idfSum += idf;
                if (fq.tokenId(from[i]) == tq.tokenId(to[best])) {
                    exactIdf += idf;
                }
            }
            d.finish(from.length, idfSum, exactIdf, partner);
            return d;
        }

        private static int bestPartner(float[][] sim, int i, int n, boolean transposed) {
            int best = 0;
            for (int j = 1; j < n; j++) {
                float s = transposed ? sim[j][i] : sim[i][j];
                float b = transposed ? sim[best][i] : sim[i][best];
                if (s > b) {
                    best = j;
                }
            }
            return best;
        }

        private void accept(double s, double idf) {
            mean += s;
            idfMean += idf * s;
            unalignedMass += idf * (1 - s);
            if (idf * (1 - s) > worstIdfGap) {
                worstIdfGap = idf * (1 - s);
                worstTokenIdf = idf;
            }
            if (s < min) {
                secondMin = min;
                min = s;
            } else if (s < secondMin) {
                secondMin = s;
            }
            for (int k = 0; k < LOW_SIMILARITY.length; k++) {
                belowShare[k] += s < LOW_SIMILARITY[k] ? 1 : 0;
            }
        }

        private void finish(int n, double idfSum, double exactIdf, int[] partner) {
            mean /= n;
            idfMean /= Math.max(idfSum, 1e-9);
            exactIdfShare = exactIdf / Math.max(idfSum, 1e-9);
            for (int k = 0; k < belowShare.length; k++) {
                belowShare[k] /= n;
            }
            int inverted = 0;
            for (int i = 1; i < partner.length; i++) {
                inverted += partner[i] < partner[i - 1] ? 1 : 0;
            }
            inversions = partner.length > 1 ? inverted / (double) (partner.length - 1) : 0;
        }
    }
}
