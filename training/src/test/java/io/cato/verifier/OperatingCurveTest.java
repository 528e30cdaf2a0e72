package io.cato.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class OperatingCurveTest {

    private static final double[] SCORES = {0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05};
    private static final boolean[] LABELS = {true, false, true, true, false, false, true, false, false, false};

    @Test
    void thresholdForABudget_neverExceedsThatFalseHitRate() {
        OperatingCurve curve = new OperatingCurve(SCORES, LABELS);
        double t = curve.thresholdFor(1.0 / 6);
        assertThat(curve.falseHitRate(t)).isLessThanOrEqualTo(1.0 / 6);
        assertThat(curve.hitRate(t)).isEqualTo(0.75);
    }

    @Test
    void zeroBudget_acceptsOnlyScoresAboveEveryNegative() {
        OperatingCurve curve = new OperatingCurve(SCORES, LABELS);
        double t = curve.thresholdFor(0.0);
        assertThat(curve.falseHitRate(t)).isZero();
        assertThat(curve.hitRate(t)).isEqualTo(0.25);
    }

    @Test
    void auc_countsCorrectlyOrderedPairs() {
        OperatingCurve curve = new OperatingCurve(SCORES, LABELS);
        assertThat(curve.auc()).isCloseTo(19.0 / 24, within(1e-12));
    }
}
