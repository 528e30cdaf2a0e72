package io.cato.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GradientBoostingTrainerTest {

    private static final GradientBoostingTrainer.Settings SMALL =
            new GradientBoostingTrainer.Settings(60, 0.1, 3, 1, 1, 0.8, 1.0, 32, 1, 7);

    private static double[][] rows(int n, SplittableRandom random) {
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) {
            x[i] = new double[] {random.nextDouble(), random.nextDouble(), random.nextDouble()};
        }
        return x;
    }

    private static boolean[] xorLabels(double[][] x) {
        boolean[] y = new boolean[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (x[i][0] > 0.5) ^ (x[i][1] > 0.5);
        }
        return y;
    }

    @Test
    void interactionOfTwoFeatures_isLearnt() {
        double[][] x = rows(2000, new SplittableRandom(1));
        BoostedTrees model = new GradientBoostingTrainer(SMALL).train(x, xorLabels(x), null);
        double[][] test = rows(500, new SplittableRandom(2));
        boolean[] truth = xorLabels(test);
        int correct = 0;
        for (int i = 0; i < test.length; i++) {
            correct += (model.logOdds(test[i]) > 0) == truth[i] ? 1 : 0;
        }
        assertThat(correct / 500.0).isGreaterThan(0.95);
    }

    @Test
    void sameSeed_givesTheSameModel() {
        double[][] x = rows(500, new SplittableRandom(3));
        boolean[] y = xorLabels(x);
        BoostedTrees first = new GradientBoostingTrainer(SMALL).train(x, y, null);
        BoostedTrees second = new GradientBoostingTrainer(SMALL).train(x, y, null);
        double[] probe = {0.3, 0.7, 0.1};
        assertThat(second.logOdds(probe)).isEqualTo(first.logOdds(probe));
    }
}
