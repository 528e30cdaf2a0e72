package io.cato.verifier;

import java.util.Arrays;

/** Quantile cut points per feature, so tree training scans a few hundred bins instead of every value. */
final class FeatureBins {

    private final double[][] cuts;

    private FeatureBins(double[][] cuts) {
        this.cuts = cuts;
    }

    static FeatureBins fit(double[][] rows, int maxBins) {
        int features = rows[0].length;
        double[][] cuts = new double[features][];
        double[] column = new double[rows.length];
        for (int f = 0; f < features; f++) {
            for (int i = 0; i < rows.length; i++) {
                column[i] = rows[i][f];
            }
            cuts[f] = quantileCuts(column.clone(), maxBins);
        }
        return new FeatureBins(cuts);
    }

    private static double[] quantileCuts(double[] values, int maxBins) {
        Arrays.sort(values);
        double max = values[values.length - 1];
        double[] out = new double[maxBins];
        int n = 0;
        for (int k = 1; k < maxBins; k++) {
            double v = values[(int) ((long) k * values.length / maxBins)];
            if (v < max && (n == 0 || v > out[n - 1])) {
                out[n++] = v;
            }
        }
        double[] distinctBelowMax = Arrays.stream(values).distinct().filter(v -> v < max).toArray();
        return distinctBelowMax.length < n || distinctBelowMax.length < maxBins ? distinctBelowMax
                : Arrays.copyOf(out, n);
    }

    int binCount(int feature) {
        return cuts[feature].length + 1;
    }

    /** Rows with {@code value <= cut(feature, bin)} fall in bins {@code 0..bin}. */
    double cut(int feature, int bin) {
        return cuts[feature][bin];
    }

    int bin(int feature, double value) {
        int k = Arrays.binarySearch(cuts[feature], value);
        return k >= 0 ? k : -k - 1;
    }

    /** Column-major bin indices, the layout histogram building reads fastest. */
    short[][] binColumns(double[][] rows) {
        short[][] binned = new short[cuts.length][rows.length];
        for (int f = 0; f < cuts.length; f++) {
            for (int i = 0; i < rows.length; i++) {
                binned[f][i] = (short) bin(f, rows[i][f]);
            }
        }
        return binned;
    }
}
