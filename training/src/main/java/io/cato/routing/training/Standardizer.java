package io.cato.routing.training;

/**
 * Column standardisation for training. Gradient descent needs comparable feature scales, but the shipped model
 * should not pay for the transform, so {@link #foldInto} rewrites trained weights into raw-input space.
 */
final class Standardizer {

    private final double[] mean;
    private final double[] scale;

    private Standardizer(double[] mean, double[] scale) {
        this.mean = mean;
        this.scale = scale;
    }

    static Standardizer fit(double[][] x) {
        int d = x[0].length;
        double[] mean = new double[d];
        double[] scale = new double[d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j] / x.length;
            }
        }
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                scale[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / x.length;
            }
        }
        for (int j = 0; j < d; j++) {
            // Constant columns keep scale 1 so they neither blow up nor carry weight.
            scale[j] = scale[j] > 1e-12 ? Math.sqrt(scale[j]) : 1.0;
        }
        return new Standardizer(mean, scale);
    }

    double[][] transform(double[][] x) {
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            out[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                out[i][j] = (x[i][j] - mean[j]) / scale[j];
            }
        }
        return out;
    }

    /** Converts weights (bias last) learnt on standardised inputs into float weights on raw inputs. */
    float[] foldWeights(double[] standardized) {
        float[] raw = new float[mean.length];
        for (int j = 0; j < mean.length; j++) {
            raw[j] = (float) (standardized[j] / scale[j]);
        }
        return raw;
    }

    /** The bias that goes with {@link #foldWeights} for the same weight vector. */
    double foldBias(double[] standardized) {
        double bias = standardized[mean.length];
        for (int j = 0; j < mean.length; j++) {
            bias -= standardized[j] * mean[j] / scale[j];
        }
        return bias;
    }
}
