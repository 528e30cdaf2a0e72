package io.cato.verifier;

import java.util.Arrays;

/**
 * Duplicate hit rate against false-hit rate for a set of scored pairs: a pair is accepted when
 * its score is at least the threshold, a false hit is an accepted non-duplicate.
 */
public final class OperatingCurve {

    private final double[] positives;
    private final double[] negatives;

    public OperatingCurve(double[] scores, boolean[] duplicate) {
        int p = 0;
        for (boolean d : duplicate) {
            p += d ? 1 : 0;
        }
        positives = new double[p];
        negatives = new double[scores.length - p];
        int ip = 0;
        int in = 0;
        for (int i = 0; i < scores.length; i++) {
            if (duplicate[i]) {
                positives[ip++] = scores[i];
            } else {
                negatives[in++] = scores[i];
            }
        }
        Arrays.sort(positives);
        Arrays.sort(negatives);
    }

    /** The lowest threshold whose false-hit rate does not exceed {@code falseHitRate}. */
    public double thresholdFor(double falseHitRate) {
        int allowed = (int) Math.floor(falseHitRate * negatives.length + 1e-9);
        if (allowed >= negatives.length) {
            return Double.NEGATIVE_INFINITY;
        }
        return Math.nextUp(negatives[negatives.length - 1 - allowed]);
    }

    public double hitRate(double threshold) {
        return atOrAbove(positives, threshold) / (double) positives.length;
    }

    public double falseHitRate(double threshold) {
        return atOrAbove(negatives, threshold) / (double) negatives.length;
    }

    public int pairs() {
        return positives.length + negatives.length;
    }

    /** Area under the ROC curve, ties counted as half. */
    public double auc() {
        double wins = 0;
        int j = 0;
        for (double s : positives) {
            while (j < negatives.length && negatives[j] < s) {
                j++;
            }
            int k = j;
            while (k < negatives.length && negatives[k] == s) {
                k++;
            }
            wins += j + 0.5 * (k - j);
        }
        return wins / ((double) positives.length * negatives.length);
    }

    private static int atOrAbove(double[] sorted, double threshold) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < threshold) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return sorted.length - lo;
    }
}
