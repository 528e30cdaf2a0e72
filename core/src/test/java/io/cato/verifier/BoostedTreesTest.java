package io.cato.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BoostedTreesTest {

    /**
     * Tree 0: a depth-3 tree with leaves at depths 1, 2 and 3. Tree 1: one split. Tree 2 and tree 3
     * share a subtree (node 9). Tree 4: a single split again, and tree 5 only a leaf (node 1, shared
     * with tree 0), so the four-at-a-time walk has a remainder.
     */
    private static BoostedTrees ensemble() {
        int[] roots = {0, 7, 10, 12, 14, 1};
        int[] feature = {0, -1, 1, -1, 2, -1, -1, 1, -1, -1, 0, -1, 2, -1, 1, -1, -1};
        double[] threshold = {0.5, 0, -0.25, 0, 1.0, 0, 0, 0.0, 0, 0, -1.0, 0, 0.75, 0, 0.1, 0, 0};
        int[] left = {1, 0, 3, 0, 5, 0, 0, 8, 0, 0, 11, 0, 13, 0, 15, 0, 0};
        int[] right = {2, 0, 4, 0, 6, 0, 0, 9, 0, 0, 9, 0, 9, 0, 16, 0, 0};
        double[] value = {0, 0.125, 0, -0.5, 0, 0.3125, -0.0625, 0, 0.75, -1.5, 0, 0.2, 0, -0.3, 0, 0.01, 0.02};
        return new BoostedTrees(0.5, roots, feature, threshold, left, right, value);
    }

    @Test
    void logOdds_equalsThePlainWalkBitForBit_onRandomValues_onThresholds_andWithNaN() {
        BoostedTrees trees = ensemble();
        Random random = new Random(11);
        double[] edges = {0.5, -0.25, 1.0, 0.0, -1.0, 0.75, 0.1, Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY};
        for (int trial = 0; trial < 2_000; trial++) {
            double[] x = new double[3];
            for (int i = 0; i < x.length; i++) {
                x[i] = trial % 3 == 0 ? edges[random.nextInt(edges.length)] : random.nextGaussian();
            }
            assertThat(trees.logOdds(x)).as(java.util.Arrays.toString(x)).isEqualTo(trees.walk(x));
        }
    }

    @Test
    void logOdds_followsTheSplitsAsWritten() {
        BoostedTrees trees = ensemble();
        // x0 <= 0.5 (0.125); x1 <= 0 (0.75); x0 > -1 -> shared node 9 (-1.5); x2 <= 0.75 (-0.3);
        // x1 <= 0.1 (0.01); tree 5 (0.125)
        assertThat(trees.logOdds(new double[] {0.0, -1.0, 0.0}))
                .isEqualTo(0.5 + 0.125 + 0.75 - 1.5 - 0.3 + 0.01 + 0.125);
        // x0 > 0.5, x1 > -0.25, x2 > 1 (-0.0625); x1 > 0 (-1.5); x0 > -1 (-1.5); x2 > 0.75 (-1.5);
        // x1 > 0.1 (0.02); tree 5 (0.125)
        assertThat(trees.logOdds(new double[] {2.0, 3.0, 4.0}))
                .isEqualTo(0.5 - 0.0625 - 1.5 - 1.5 - 1.5 + 0.02 + 0.125);
    }

    @Test
    void shippedVerifierTrees_scoreLikeThePlainWalk() {
        DuplicateVerifier verifier = DuplicateVerifier.loadDefault();
        BoostedTrees trees = verifier.trees();
        Random random = new Random(3);
        for (int trial = 0; trial < 500; trial++) {
            double[] x = new double[verifier.featureNames().size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = random.nextGaussian() * (1 + random.nextInt(5));
            }
            assertThat(trees.logOdds(x)).isEqualTo(trees.walk(x));
        }
    }
}
