package io.cato.verifier;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Grows one regression tree at a time into shared node arrays; see {@link GradientBoostingTrainer}. */
final class TreeGrower {

    private final GradientBoostingTrainer.Settings settings;
    private final FeatureBins bins;
    private final short[][] binned;
    private final List<Integer> roots = new ArrayList<>();
    private int[] feature = new int[1024];
    private double[] threshold = new double[1024];
    private int[] left = new int[1024];
    private int[] right = new int[1024];
    private double[] value = new double[1024];
    private int size;

    TreeGrower(GradientBoostingTrainer.Settings settings, FeatureBins bins, short[][] binned) {
        this.settings = settings;
        this.bins = bins;
        this.binned = binned;
    }

    int grow(int[] rows, double[] grad, double[] hess, SplittableRandom random) {
        int[] features = sampleFeatures(random);
        int root = node(rows, 0, grad, hess, features);
        roots.add(root);
        return root;
    }

    /** The trees grown so far; {@code onlyRoot >= 0} selects a single tree. */
    BoostedTrees snapshot(double bias, int onlyRoot) {
        int[] r = onlyRoot >= 0 ? new int[] {onlyRoot} : roots.stream().mapToInt(Integer::intValue).toArray();
        return new BoostedTrees(bias, r, Arrays.copyOf(feature, size), Arrays.copyOf(threshold, size),
                Arrays.copyOf(left, size), Arrays.copyOf(right, size), Arrays.copyOf(value, size));
    }

    private int[] sampleFeatures(SplittableRandom random) {
        int total = binned.length;
        int[] picked = new int[total];
        int k = 0;
        for (int f = 0; f < total; f++) {
            if (random.nextDouble() < settings.featureSample()) {
                picked[k++] = f;
            }
        }
        return k == 0 ? new int[] {random.nextInt(total)} : Arrays.copyOf(picked, k);
    }

    private int node(int[] rows, int depth, double[] grad, double[] hess, int[] features) {
        double g = 0;
        double h = 0;
        for (int i : rows) {
            g += grad[i];
            h += hess[i];
        }
        Split split = depth < settings.maxDepth() ? bestSplit(rows, g, h, grad, hess, features) : null;
        if (split == null) {
            return add(-1, 0, -settings.learningRate() * g / (h + settings.lambda()));
        }
        int id = add(split.feature, bins.cut(split.feature, split.bin), 0);
        short[] column = binned[split.feature];
        int[] l = Arrays.stream(rows).filter(i -> column[i] <= split.bin).toArray();
        int[] r = Arrays.stream(rows).filter(i -> column[i] > split.bin).toArray();
        left[id] = node(l, depth + 1, grad, hess, features);
        right[id] = node(r, depth + 1, grad, hess, features);
        return id;
    }

    private record Split(int feature, int bin, double gain) {
    }

    private Split bestSplit(int[] rows, double g, double h, double[] grad, double[] hess, int[] features) {
        double lambda = settings.lambda();
        double parent = g * g / (h + lambda);
        Split best = null;
        for (int f : features) {
            int nb = bins.binCount(f);
            double[] hg = new double[nb];
            double[] hh = new double[nb];
            short[] column = binned[f];
            for (int i : rows) {
                hg[column[i]] += grad[i];
                hh[column[i]] += hess[i];
            }
            double gl = 0;
            double hl = 0;
            for (int b = 0; b < nb - 1; b++) {
                gl += hg[b];
                hl += hh[b];
                double hr = h - hl;
                if (hl < settings.minChildHessian() || hr < settings.minChildHessian()) {
                    continue;
                }
                double gr = g - gl;
                double gain = gl * gl / (hl + lambda) + gr * gr / (hr + lambda) - parent;
                if (gain > 1e-9 && (best == null || gain > best.gain)) {
                    best = new Split(f, b, gain);
                }
            }
        }
        return best;
    }

    private int add(int f, double t, double v) {
        if (size == feature.length) {
            int n = size * 2;
            feature = Arrays.copyOf(feature, n);
            threshold = Arrays.copyOf(threshold, n);
            left = Arrays.copyOf(left, n);
            right = Arrays.copyOf(right, n);
            value = Arrays.copyOf(value, n);
        }
        feature[size] = f;
        threshold[size] = t;
        value[size] = (float) v;
        return size++;
    }
}
