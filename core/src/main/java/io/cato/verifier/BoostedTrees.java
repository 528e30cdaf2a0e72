package io.cato.verifier;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * An immutable ensemble of binary regression trees whose summed output is a log-odds. Nodes of
 * all trees live in flat arrays; a node with {@code feature < 0} is a leaf. Leaf values are kept
 * at float precision from training on, so the stored model scores exactly like the trained one.
 *
 * <p>Scoring uses a second layout of the same trees, built on load: each inner node's two children
 * are adjacent, and a leaf leads to itself through a threshold no value exceeds. Every tree is then
 * walked a fixed number of steps with arithmetic instead of branches ({@code child + (x > t)}), four
 * trees side by side, so neither mispredicted branches nor one tree's memory reads stall the others.
 * Leaves are added in tree order, so the log-odds are bit-for-bit those of the plain walk.
 */
final class BoostedTrees {

    private final double bias;
    private final int[] roots;
    private final int[] feature;
    private final double[] threshold;
    private final int[] left;
    private final int[] right;
    private final double[] value;
    private final Steps steps;

    BoostedTrees(double bias, int[] roots, int[] feature, double[] threshold, int[] left, int[] right,
                 double[] value) {
        this.bias = bias;
        this.roots = roots;
        this.feature = feature;
        this.threshold = threshold;
        this.left = left;
        this.right = right;
        this.value = value;
        this.steps = Steps.of(roots, feature, threshold, left, right, value);
    }

    double logOdds(double[] x) {
        for (double v : x) {
            if (Double.isNaN(v)) {
                return walk(x);
            }
        }
        return steps.logOdds(bias, x);
    }

    /** The plain walk, which also sends a NaN feature value down the right branch. */
    double walk(double[] x) {
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

    /** The trees with adjacent children and self-leading leaves, walked a fixed number of steps. */
    private record Steps(int[] roots, int[] feature, double[] threshold, int[] child, double[] value, int depth) {

        static Steps of(int[] roots, int[] feature, double[] threshold, int[] left, int[] right, double[] value) {
            int n = 0;
            for (int root : roots) {
                n += reachable(root, feature, left, right);
            }
            int[] newRoots = new int[roots.length];
            int[] f = new int[n];
            double[] t = new double[n];
            int[] c = new int[n];
            double[] v = new double[n];
            int depth = 0;
            int next = 0;
            java.util.ArrayDeque<int[]> queue = new java.util.ArrayDeque<>();
            for (int r = 0; r < roots.length; r++) {
                newRoots[r] = next;
                queue.add(new int[] {roots[r], next++, 0});
                while (!queue.isEmpty()) {
                    int[] e = queue.poll();
                    int old = e[0];
                    int k = e[1];
                    if (feature[old] < 0) {
                        t[k] = Double.POSITIVE_INFINITY;
                        c[k] = k;
                        v[k] = value[old];
                        depth = Math.max(depth, e[2]);
                    } else {
                        f[k] = feature[old];
                        t[k] = threshold[old];
                        c[k] = next;
                        queue.add(new int[] {left[old], next++, e[2] + 1});
                        queue.add(new int[] {right[old], next++, e[2] + 1});
                    }
                }
            }
            return new Steps(newRoots, f, t, c, v, depth);
        }

        /** Nodes walked from {@code node}, counting a node as often as paths reach it (trees may share nodes). */
        private static int reachable(int node, int[] feature, int[] left, int[] right) {
            return feature[node] < 0 ? 1 : 1 + reachable(left[node], feature, left, right)
                    + reachable(right[node], feature, left, right);
        }

        /** For feature values without NaN: a leaf's threshold is +infinity, so it leads to itself. */
        double logOdds(double bias, double[] x) {
            double sum = bias;
            int r = 0;
            for (; r + 4 <= roots.length; r += 4) {
                int a = roots[r];
                int b = roots[r + 1];
                int c = roots[r + 2];
                int d = roots[r + 3];
                for (int s = 0; s < depth; s++) {
                    a = child[a] + (x[feature[a]] <= threshold[a] ? 0 : 1);
                    b = child[b] + (x[feature[b]] <= threshold[b] ? 0 : 1);
                    c = child[c] + (x[feature[c]] <= threshold[c] ? 0 : 1);
                    d = child[d] + (x[feature[d]] <= threshold[d] ? 0 : 1);
                }
                sum += value[a];
                sum += value[b];
                sum += value[c];
                sum += value[d];
            }
            for (; r < roots.length; r++) {
                int a = roots[r];
                for (int s = 0; s < depth; s++) {
                    a = child[a] + (x[feature[a]] <= threshold[a] ? 0 : 1);
                }
                sum += value[a];
            }
            return sum;
        }
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
