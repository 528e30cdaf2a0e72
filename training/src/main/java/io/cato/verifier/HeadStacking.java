package io.cato.verifier;

import io.cato.embedding.EncodedQuery;
import java.util.List;

/**
 * Trains the linear head and produces its scores as a tree feature. Training rows get
 * out-of-fold scores, so the trees learn how much to trust the head on pairs it has not seen,
 * exactly as at lookup time.
 */
final class HeadStacking {

    private static final int FOLDS = 5;

    private HeadStacking() {
    }

    record Result(InteractionHead head, double[] outOfFold) {
    }

    static Result fit(List<EncodedQuery[]> pairs, boolean[] labels, PairFeatures features, long seed,
                      MlpHeadTrainer.Options options) {
        float[][] x = new float[pairs.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = features.interaction(pairs.get(i)[0], pairs.get(i)[1]);
        }
        double[] oof = new double[x.length];
        for (int fold = 0; fold < FOLDS; fold++) {
            int f = fold;
            int[] trainIdx = java.util.stream.IntStream.range(0, x.length).filter(i -> i % FOLDS != f).toArray();
            InteractionHead h = fitHead(rows(x, trainIdx), labels(labels, trainIdx), seed + fold, options);
            for (int i = fold; i < x.length; i += FOLDS) {
                oof[i] = h.logOdds(x[i]);
            }
            System.out.printf("  head fold %d fitted%n", fold + 1);
        }
        OperatingCurve curve = new OperatingCurve(oof, labels);
        System.out.printf("head out-of-fold: AUC %.4f, hits@1%% %.3f%n", curve.auc(),
                curve.hitRate(curve.thresholdFor(0.01)));
        return new Result(fitHead(x, labels, seed, options), oof);
    }

    private static InteractionHead fitHead(float[][] x, boolean[] y, long seed, MlpHeadTrainer.Options options) {
        return MlpHeadTrainer.fit(x, y, seed, options);
    }

    private static float[][] rows(float[][] x, int[] idx) {
        float[][] out = new float[idx.length][];
        for (int k = 0; k < idx.length; k++) {
            out[k] = x[idx[k]];
        }
        return out;
    }

    private static boolean[] labels(boolean[] y, int[] idx) {
        boolean[] out = new boolean[idx.length];
        for (int k = 0; k < idx.length; k++) {
            out[k] = y[idx[k]];
        }
        return out;
    }
}
