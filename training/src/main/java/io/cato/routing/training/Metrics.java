package io.cato.routing.training;

import java.util.Arrays;
import java.util.Comparator;

/** Ranking and operating-point figures for a binary scorer. */
final class Metrics {

    private Metrics() {
    }

    /** Area under the ROC curve (Mann-Whitney U), with tied scores sharing their average rank. */
    static double auc(double[] score, boolean[] positive) {
        Integer[] order = new Integer[score.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble(i -> score[i]));
        double rankSumPositive = 0;
        long positives = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && score[order[j + 1]] == score[order[i]]) {
                j++;
            }
            double averageRank = (i + j + 2) / 2.0;
            for (int k = i; k <= j; k++) {
                if (positive[order[k]]) {
                    rankSumPositive += averageRank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = score.length - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (rankSumPositive - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /** 2.5th and 97.5th percentiles of the AUC over bootstrap resamples (fixed seed, so reproducible). */
    static double[] bootstrapAucInterval(double[] score, boolean[] positive, int resamples, long seed) {
        java.util.Random random = new java.util.Random(seed);
        double[] aucs = new double[resamples];
        double[] s = new double[score.length];
        boolean[] p = new boolean[score.length];
        for (int r = 0; r < resamples; r++) {
            for (int i = 0; i < score.length; i++) {
                int pick = random.nextInt(score.length);
                s[i] = score[pick];
                p[i] = positive[pick];
            }
            aucs[r] = auc(s, p);
        }
        Arrays.sort(aucs);
        return new double[] {aucs[(int) (0.025 * resamples)], aucs[(int) (0.975 * resamples) - 1]};
    }

    /** Fraction of the selected items (mask) whose score is at or above the threshold. */
    static double fractionAtOrAbove(double[] score, boolean[] mask, double threshold) {
        int selected = 0;
        int above = 0;
        for (int i = 0; i < score.length; i++) {
            if (mask[i]) {
                selected++;
                if (score[i] >= threshold) {
                    above++;
                }
            }
        }
        return selected == 0 ? Double.NaN : (double) above / selected;
    }

    /** Highest threshold at which at least {@code recall} of the positives score at or above it. */
    static double thresholdForRecall(double[] score, boolean[] positive, double recall) {
        double[] positives = new double[score.length];
        int n = 0;
        for (int i = 0; i < score.length; i++) {
            if (positive[i]) {
                positives[n++] = score[i];
            }
        }
        double[] sorted = Arrays.copyOf(positives, n);
        Arrays.sort(sorted);
        int needed = (int) Math.ceil(recall * n);
        return sorted[n - needed];
    }
}
