package io.cato.verifier;

/** Follows validation log-loss round by round and remembers the best round; reports progress. */
final class ValidationTracker implements GradientBoostingTrainer.RoundListener {

    private static final int REPORT_EVERY = 100;

    private final LabelledFeatures validation;
    private final double[] margin;
    private double bestLoss = Double.MAX_VALUE;
    private int bestRound;
    private boolean biasAdded;

    ValidationTracker(LabelledFeatures validation) {
        this.validation = validation;
        this.margin = new double[validation.size()];
    }

    @Override
    public void afterRound(int round, BoostedTrees newTree) {
        if (!biasAdded) {
            double p = 0;
            for (boolean y : validation.y()) {
                p += y ? 1 : 0;
            }
            java.util.Arrays.fill(margin, Math.log(p / (validation.size() - p)));
            biasAdded = true;
        }
        double loss = 0;
        for (int i = 0; i < margin.length; i++) {
            margin[i] += newTree.logOdds(validation.x()[i]);
            double m = margin[i];
            loss += validation.y()[i] ? softplus(-m) : softplus(m);
        }
        loss /= margin.length;
        if (loss < bestLoss) {
            bestLoss = loss;
            bestRound = round;
        }
        if (round % REPORT_EVERY == 0) {
            OperatingCurve curve = new OperatingCurve(margin, validation.y());
            System.out.printf("  round %4d  log-loss %.4f  AUC %.4f  hits@1%% %.3f  hits@0.5%% %.3f%n", round, loss,
                    curve.auc(), curve.hitRate(curve.thresholdFor(0.01)), curve.hitRate(curve.thresholdFor(0.005)));
        }
    }

    private static double softplus(double z) {
        return z > 30 ? z : Math.log1p(Math.exp(z));
    }

    double bestLoss() {
        return bestLoss;
    }

    int bestRound() {
        return bestRound;
    }
}
