package io.cato.routing.training;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void perfectRanking_hasAucOne() {
        assertThat(Metrics.auc(new double[] {0.1, 0.2, 0.8, 0.9}, new boolean[] {false, false, true, true}))
                .isEqualTo(1.0);
    }

    @Test
    void tiedScores_countHalf() {
        assertThat(Metrics.auc(new double[] {0.5, 0.5}, new boolean[] {false, true})).isEqualTo(0.5);
    }

    @Test
    void thresholdForRecall_keepsRequestedShareOfPositives() {
        double[] score = {0.1, 0.2, 0.3, 0.4, 0.5};
        boolean[] positive = {true, true, true, true, false};

        double t = Metrics.thresholdForRecall(score, positive, 0.75);

        assertThat(t).isEqualTo(0.2);
        assertThat(Metrics.fractionAtOrAbove(score, positive, t)).isEqualTo(0.75);
    }
}
