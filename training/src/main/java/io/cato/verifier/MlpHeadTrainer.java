package io.cato.verifier;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Fits an {@link MlpHead} with seeded mini-batch Adam on logistic loss and decoupled weight decay. */
final class MlpHeadTrainer {

    private static final int BATCH = 64;

    /** The head's size and training schedule ({@code --head-hidden}, {@code --head-epochs}, ...). */
    record Options(int hidden, int epochs, float rate, float decay) {
        static final Options DEFAULT = new Options(128, 8, 1e-3f, 1e-4f);

        static Options from(TrainingOptions options) {
            return new Options(options.integer("head-hidden", DEFAULT.hidden()),
                    options.integer("head-epochs", DEFAULT.epochs()),
                    (float) options.decimal("head-rate", DEFAULT.rate()),
                    (float) options.decimal("head-decay", DEFAULT.decay()));
        }
    }

    private final Options options;

    private final int inputs;
    private final float[] mean;
    private final float[] scale;
    private final float[][] params;
    private final float[][] grads;
    private final AdamState adam;

    private MlpHeadTrainer(float[][] x, SplittableRandom random, Options options) {
        this.options = options;
        final int hidden = options.hidden();
        inputs = x[0].length;
        mean = new float[inputs];
        scale = new float[inputs];
        standardisation(x, mean, scale);
        float[] w1 = new float[hidden * inputs];
        float[] w2 = new float[hidden];
        double std1 = Math.sqrt(2.0 / inputs);
        for (int i = 0; i < w1.length; i++) {
            w1[i] = (float) (gaussian(random) * std1);
        }
        for (int h = 0; h < hidden; h++) {
            w2[h] = (float) (gaussian(random) * Math.sqrt(1.0 / hidden));
        }
        params = new float[][] {w1, new float[hidden], w2, new float[1]};
        grads = new float[][] {new float[w1.length], new float[hidden], new float[hidden], new float[1]};
        adam = new AdamState(params);
    }

    static MlpHead fit(float[][] x, boolean[] y, long seed, Options options) {
        SplittableRandom random = new SplittableRandom(seed);
        MlpHeadTrainer t = new MlpHeadTrainer(x, random, options);
        float[][] z = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            z[i] = MlpHead.standardise(x[i], t.mean, t.scale);
        }
        int[] order = java.util.stream.IntStream.range(0, x.length).toArray();
        for (int epoch = 0; epoch < options.epochs(); epoch++) {
            shuffle(order, random);
            for (int start = 0; start < order.length; start += BATCH) {
                int end = Math.min(order.length, start + BATCH);
                for (float[] g : t.grads) {
                    Arrays.fill(g, 0f);
                }
                for (int k = start; k < end; k++) {
                    t.backprop(z[order[k]], y[order[k]]);
                }
                t.adam.step(t.params, t.grads, end - start, options.rate(), options.decay());
            }
        }
        return new MlpHead(t.mean, t.scale, t.params[0], t.params[1], t.params[2], t.params[3][0]);
    }

    private void backprop(float[] z, boolean label) {
        final int hidden = options.hidden();
        float[] w1 = params[0];
        float[] b1 = params[1];
        float[] w2 = params[2];
        float[] act = new float[hidden];
        double out = params[3][0];
        for (int h = 0; h < hidden; h++) {
            float a = b1[h];
            int row = h * inputs;
            for (int i = 0; i < inputs; i++) {
                a += w1[row + i] * z[i];
            }
            act[h] = Math.max(a, 0f);
            out += w2[h] * act[h];
        }
        float err = (float) (1 / (1 + Math.exp(-out)) - (label ? 1 : 0));
        grads[3][0] += err;
        for (int h = 0; h < hidden; h++) {
            grads[2][h] += err * act[h];
            if (act[h] > 0) {
                float delta = err * w2[h];
                grads[1][h] += delta;
                int row = h * inputs;
                for (int i = 0; i < inputs; i++) {
                    grads[0][row + i] += delta * z[i];
                }
            }
        }
    }

    private static double gaussian(SplittableRandom random) {
        double u = Math.max(random.nextDouble(), 1e-12);
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    static void standardisation(float[][] x, float[] mean, float[] scale) {
        int dim = mean.length;
        double[] sum = new double[dim];
        double[] sq = new double[dim];
        for (float[] row : x) {
            for (int i = 0; i < dim; i++) {
                sum[i] += row[i];
                sq[i] += (double) row[i] * row[i];
            }
        }
        for (int i = 0; i < dim; i++) {
            double mu = sum[i] / x.length;
            mean[i] = (float) mu;
            scale[i] = (float) (1 / Math.sqrt(Math.max(sq[i] / x.length - mu * mu, 1e-12)));
        }
    }

    private static void shuffle(int[] order, SplittableRandom random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    /** First and second moment estimates for every parameter array. */
    private static final class AdamState {
        private final float[][] m;
        private final float[][] v;
        private int t;

        AdamState(float[][] params) {
            m = new float[params.length][];
            v = new float[params.length][];
            for (int p = 0; p < params.length; p++) {
                m[p] = new float[params[p].length];
                v[p] = new float[params[p].length];
            }
        }

        void step(float[][] params, float[][] grads, int batch, float rate, float decay) {
            t++;
            float c1 = (float) (1 - Math.pow(0.9, t));
            float c2 = (float) (1 - Math.pow(0.999, t));
            for (int p = 0; p < params.length; p++) {
                for (int i = 0; i < params[p].length; i++) {
                    float g = grads[p][i] / batch;
                    m[p][i] = 0.9f * m[p][i] + 0.1f * g;
                    v[p][i] = 0.999f * v[p][i] + 0.001f * g * g;
                    params[p][i] -= rate * ((m[p][i] / c1) / ((float) Math.sqrt(v[p][i] / c2) + 1e-8f)
                            + decay * params[p][i]);
                }
            }
        }
    }
}
