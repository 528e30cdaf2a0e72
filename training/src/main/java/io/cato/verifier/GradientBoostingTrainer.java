package io.cato.verifier;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Trains {@link BoostedTrees} on logistic loss with second-order (Newton) leaf values, depth-limited
 * trees, histogram split finding and seeded row/feature subsampling, so a rerun yields the same
 * model bit for bit.
 */
final class GradientBoostingTrainer {

    record Settings(int rounds, double learningRate, int maxDepth, double minChildHessian, double lambda,
                    double rowSample, double featureSample, int maxBins, double negativeWeight, long seed) {
    }

    /** Receives each new tree (bias excluded), e.g. to track a validation metric round by round. */
    interface RoundListener {
        void afterRound(int round, BoostedTrees newTree);
    }

    private final Settings settings;

    GradientBoostingTrainer(Settings settings) {
        this.settings = settings;
    }

    BoostedTrees train(double[][] x, boolean[] y, RoundListener listener) {
        FeatureBins bins = FeatureBins.fit(x, settings.maxBins());
        short[][] binned = bins.binColumns(x);
        int n = x.length;
        double positives = 0;
        for (boolean label : y) {
            positives += label ? 1 : 0;
        }
        double bias = Math.log(positives / (settings.negativeWeight() * (n - positives)));
        double[] margin = new double[n];
        Arrays.fill(margin, bias);
        TreeGrower grower = new TreeGrower(settings, bins, binned);
        SplittableRandom random = new SplittableRandom(settings.seed());
        double[] grad = new double[n];
        double[] hess = new double[n];
        for (int round = 0; round < settings.rounds(); round++) {
            for (int i = 0; i < n; i++) {
                double p = 1 / (1 + Math.exp(-margin[i]));
                double w = y[i] ? 1 : settings.negativeWeight();
                grad[i] = w * (p - (y[i] ? 1 : 0));
                hess[i] = w * Math.max(p * (1 - p), 1e-6);
            }
            int root = grower.grow(sampleRows(n, random), grad, hess, random);
            BoostedTrees single = grower.snapshot(0, root);
            for (int i = 0; i < n; i++) {
                margin[i] += single.logOdds(x[i]);
            }
            if (listener != null) {
                listener.afterRound(round + 1, single);
            }
        }
        return grower.snapshot(bias, -1);
    }

    private int[] sampleRows(int n, SplittableRandom random) {
        int[] rows = new int[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (random.nextDouble() < settings.rowSample()) {
                rows[k++] = i;
            }
        }
        return Arrays.copyOf(rows, k);
    }
}
