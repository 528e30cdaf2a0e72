package io.cato.routing.training;

/**
 * Fits L2-regularised logistic and softmax regressions by full-batch accelerated gradient descent. Full-batch and
 * a zero start make training deterministic: the same data always gives bit-identical weights.
 * Inputs are expected to be standardised; the returned arrays hold the bias in the last position.
 */
final class LinearModels {

    private LinearModels() {
    }

    /** Weighted binary logistic regression; minimises mean weighted log-loss + l2/2 * |w|^2. */
    static double[] fitLogistic(double[][] x, double[] y, double[] sampleWeight, double l2, int iterations) {
        int d = x[0].length;
        double[] w = new double[d + 1];
        double[] previous = new double[d + 1];
        double step = 1.0 / (0.25 * largestEigenvalue(x, sampleWeight) + l2);
        double totalWeight = sum(sampleWeight);
        for (int it = 1; it <= iterations; it++) {
            double[] look = momentum(w, previous, it);
            double[] grad = logisticGradient(x, y, sampleWeight, totalWeight, look, l2);
            System.arraycopy(w, 0, previous, 0, w.length);
            for (int j = 0; j <= d; j++) {
                w[j] = look[j] - step * grad[j];
            }
            if (it % 200 == 0 || it == iterations) {
                System.err.printf("  logistic iteration %d/%d, loss %.5f%n", it, iterations,
                        logisticLoss(x, y, sampleWeight, totalWeight, w, l2));
            }
        }
        return w;
    }

    /** Multinomial logistic regression; returns one weight row (bias last) per class. */
    static double[][] fitSoftmax(double[][] x, int[] label, int classes, double l2, int iterations) {
        int d = x[0].length;
        double[][] w = new double[classes][d + 1];
        double[][] previous = new double[classes][d + 1];
        double[] unit = new double[x.length];
        java.util.Arrays.fill(unit, 1.0);
        double step = 1.0 / (0.5 * largestEigenvalue(x, unit) + l2);
        for (int it = 1; it <= iterations; it++) {
            double[][] look = new double[classes][];
            for (int k = 0; k < classes; k++) {
                look[k] = momentum(w[k], previous[k], it);
            }
            double[][] grad = softmaxGradient(x, label, look, l2);
            for (int k = 0; k < classes; k++) {
                System.arraycopy(w[k], 0, previous[k], 0, d + 1);
                for (int j = 0; j <= d; j++) {
                    w[k][j] = look[k][j] - step * grad[k][j];
                }
            }
            if (it % 100 == 0) {
                System.err.printf("  softmax iteration %d/%d%n", it, iterations);
            }
        }
        return w;
    }

    /** Nesterov look-ahead point w + (t-1)/(t+2) * (w - previous). */
    private static double[] momentum(double[] w, double[] previous, int it) {
        double beta = (it - 1.0) / (it + 2.0);
        double[] look = new double[w.length];
        for (int j = 0; j < w.length; j++) {
            look[j] = w[j] + beta * (w[j] - previous[j]);
        }
        return look;
    }

    private static double[] logisticGradient(double[][] x, double[] y, double[] sw, double total, double[] w,
            double l2) {
        int d = x[0].length;
        double[] grad = new double[d + 1];
        for (int i = 0; i < x.length; i++) {
            double g = sw[i] / total * (io.cato.routing.QueryClassifier.sigmoid(linear(w, x[i])) - y[i]);
            addScaled(grad, x[i], g);
            grad[d] += g;
        }
        for (int j = 0; j < d; j++) {
            grad[j] += l2 * w[j];
        }
        return grad;
    }

    private static double logisticLoss(double[][] x, double[] y, double[] sw, double total, double[] w, double l2) {
        double loss = 0;
        for (int i = 0; i < x.length; i++) {
            double z = linear(w, x[i]);
            // log(1 + e^z) - y z, written to stay finite for large |z|.
            loss += sw[i] / total * (Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - y[i] * z);
        }
        double norm = 0;
        for (int j = 0; j < w.length - 1; j++) {
            norm += w[j] * w[j];
        }
        return loss + 0.5 * l2 * norm;
    }

    private static double[][] softmaxGradient(double[][] x, int[] label, double[][] w, double l2) {
        int classes = w.length;
        int d = x[0].length;
        double[][] grad = new double[classes][d + 1];
        double[] p = new double[classes];
        for (int i = 0; i < x.length; i++) {
            softmax(w, x[i], p);
            for (int k = 0; k < classes; k++) {
                double g = (p[k] - (label[i] == k ? 1 : 0)) / x.length;
                addScaled(grad[k], x[i], g);
                grad[k][d] += g;
            }
        }
        for (int k = 0; k < classes; k++) {
            for (int j = 0; j < d; j++) {
                grad[k][j] += l2 * w[k][j];
            }
        }
        return grad;
    }

    private static void softmax(double[][] w, double[] xi, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < w.length; k++) {
            out[k] = linear(w[k], xi);
            max = Math.max(max, out[k]);
        }
        double norm = 0;
        for (int k = 0; k < w.length; k++) {
            out[k] = Math.exp(out[k] - max);
            norm += out[k];
        }
        for (int k = 0; k < w.length; k++) {
            out[k] /= norm;
        }
    }

    /** Largest eigenvalue of the weighted second-moment matrix, which bounds the loss curvature. */
    private static double largestEigenvalue(double[][] x, double[] sw) {
        int d = x[0].length;
        double total = sum(sw);
        double[] v = new double[d + 1];
        java.util.Arrays.fill(v, 1.0 / Math.sqrt(d + 1));
        double lambda = 1;
        for (int it = 0; it < 50; it++) {
            double[] next = new double[d + 1];
            for (int i = 0; i < x.length; i++) {
                double proj = linear(v, x[i]);
                addScaled(next, x[i], sw[i] / total * proj);
                next[d] += sw[i] / total * proj;
            }
            lambda = Math.sqrt(dotSelf(next));
            for (int j = 0; j <= d; j++) {
                v[j] = next[j] / lambda;
            }
        }
        return lambda * 1.05;
    }

    /** w · x + bias, with the bias stored after the last input weight. */
    static double linear(double[] w, double[] x) {
        double z = w[x.length];
        for (int j = 0; j < x.length; j++) {
            z += w[j] * x[j];
        }
        return z;
    }

    private static void addScaled(double[] target, double[] x, double scale) {
        for (int j = 0; j < x.length; j++) {
            target[j] += scale * x[j];
        }
    }

    private static double dotSelf(double[] v) {
        double s = 0;
        for (double value : v) {
            s += value * value;
        }
        return s;
    }

    private static double sum(double[] values) {
        double s = 0;
        for (double value : values) {
            s += value;
        }
        return s;
    }
}
