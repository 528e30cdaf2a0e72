package io.cato.cache;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * An immutable ensemble of binary regression trees whose summed output is a log-odds. Nodes of
 * all trees live in flat arrays; a node with {@code feature < 0} is a leaf. Leaf values are kept
 * at float precision from training on, so the stored model scores exactly like the trained one.
 */
final class BoostedTrees {

    private final double bias;
    private final int[] roots;
    private final int[] feature;
    private final double[] threshold;
    private final int[] left;
    private final int[] right;
    private final double[] value;

    BoostedTrees(double bias, int[] roots, int[] feature, double[] threshold, int[] left, int[] right,
                 double[] value) {
        this.bias = bias;
        this.roots = roots;
        this.feature = feature;
        this.threshold = threshold;
        this.left = left;
        this.right = right;
        this.value = value;
    }

    double logOdds(double[] x) {
        double sum = bias;
        for (int root : roots) {
            int node = root;
            while (feature[node] >= 0) {
                node = x[feature[node]] <= threshold[node] ? left[node] : right[node];
            }
            sum += value[node];
        }
        return sum;
    }

    /** One model whose log-odds is the mean of the given models' log-odds. */
    static BoostedTrees average(java.util.List<BoostedTrees> models) {
        int nodes = models.stream().mapToInt(m -> m.feature.length).sum();
        int trees = models.stream().mapToInt(BoostedTrees::treeCount).sum();
        int[] roots = new int[trees];
        int[] feature = new int[nodes];
        double[] threshold = new double[nodes];
        int[] left = new int[nodes];
        int[] right = new int[nodes];
        double[] value = new double[nodes];
        double bias = 0;
        int offset = 0;
        int r = 0;
        for (BoostedTrees m : models) {
            bias += m.bias / models.size();
            for (int root : m.roots) {
                roots[r++] = root + offset;
            }
            for (int i = 0; i < m.feature.length; i++) {
                feature[offset + i] = m.feature[i];
                threshold[offset + i] = m.threshold[i];
                left[offset + i] = m.left[i] + offset;
                right[offset + i] = m.right[i] + offset;
                value[offset + i] = (float) (m.value[i] / models.size());
            }
            offset += m.feature.length;
        }
        return new BoostedTrees(bias, roots, feature, threshold, left, right, value);
    }

    int treeCount() {
        return roots.length;
    }

    /** Leaves keep only a float value and inner nodes no value, which roughly halves the file. */
    void writeTo(DataOutputStream out) throws IOException {
        out.writeDouble(bias);
        out.writeInt(roots.length);
        for (int r : roots) {
            out.writeInt(r);
        }
        out.writeInt(feature.length);
        for (int i = 0; i < feature.length; i++) {
            out.writeShort(feature[i]);
            if (feature[i] < 0) {
                out.writeFloat((float) value[i]);
            } else {
                out.writeDouble(threshold[i]);
                out.writeInt(left[i]);
                out.writeInt(right[i]);
            }
        }
    }

    static BoostedTrees readFrom(DataInputStream in) throws IOException {
        double bias = in.readDouble();
        int[] roots = new int[in.readInt()];
        for (int i = 0; i < roots.length; i++) {
            roots[i] = in.readInt();
        }
        int n = in.readInt();
        int[] feature = new int[n];
        double[] threshold = new double[n];
        int[] left = new int[n];
        int[] right = new int[n];
        double[] value = new double[n];
        for (int i = 0; i < n; i++) {
            feature[i] = in.readShort();
            if (feature[i] < 0) {
                value[i] = in.readFloat();
            } else {
                threshold[i] = in.readDouble();
                left[i] = in.readInt();
                right[i] = in.readInt();
            }
        }
        return new BoostedTrees(bias, roots, feature, threshold, left, right, value);
    }
}
