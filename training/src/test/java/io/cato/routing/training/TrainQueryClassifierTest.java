package io.cato.routing.training;

import io.cato.routing.QueryClassifier;
import io.cato.routing.QueryClassifierWeights;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class TrainQueryClassifierTest {

    private static final int DIMENSION = 8;

    /** Synthetic data where the first embedding coordinate decides the label, so the signal is known. */
    private static List<LabeledPrompt> prompts(int n) {
        List<LabeledPrompt> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new LabeledPrompt("prompt " + i + "?", i % 2 == 0, i % 3 == 0 ? "gsm8k" : "mmlu/anatomy"));
        }
        return out;
    }

    private static float[][] embeddings(int n) {
        Random random = new Random(7);
        float[][] x = new float[n][DIMENSION];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < DIMENSION; j++) {
                x[i][j] = (float) random.nextGaussian();
            }
            x[i][0] += i % 2 == 0 ? 1.5f : -1.5f;
        }
        return x;
    }

    private static TrainQueryClassifier.Options options() {
        return new TrainQueryClassifier.Options(10, 0.8, 0.1, 0.1, 1.0, 300);
    }

    private static byte[] serialize(QueryClassifierWeights weights) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        weights.write(out);
        return out.toByteArray();
    }

    @Test
    void sameData_trainsBitIdenticalWeights() throws IOException {
        var first = TrainQueryClassifier.train(prompts(200), embeddings(200), options(), 0.5);
        var second = TrainQueryClassifier.train(prompts(200), embeddings(200), options(), 0.5);

        assertThat(serialize(first)).isEqualTo(serialize(second));
    }

    @Test
    void separableSignal_isLearnt() throws IOException {
        float[][] x = embeddings(200);
        var weights = TrainQueryClassifier.train(prompts(200), x, options(), 0.5);
        QueryClassifier classifier = QueryClassifier.load(new ByteArrayInputStream(serialize(weights)));
        double[] score = new double[200];
        boolean[] complex = new boolean[200];
        for (int i = 0; i < 200; i++) {
            score[i] = classifier.classify("prompt " + i + "?", x[i]).complexity();
            complex[i] = i % 2 == 0;
        }

        assertThat(Metrics.auc(score, complex)).isGreaterThan(0.9);
    }

    @Test
    void holdout_isAStableShareChosenByTheText() {
        long held = java.util.stream.IntStream.range(0, 10_000)
                .filter(i -> TrainQueryClassifier.heldOut("prompt " + i, 10)).count();

        assertThat(held).isBetween(900L, 1100L);
        assertThat(TrainQueryClassifier.heldOut("same text", 10)).isEqualTo(TrainQueryClassifier.heldOut("same text", 10));
        assertThat(TrainQueryClassifier.heldOut("any text", 0)).isFalse();
    }

    @Test
    void calibration_picksTheHighestThresholdKeepingTheRecall() throws IOException {
        float[][] x = embeddings(200);
        var weights = TrainQueryClassifier.train(prompts(200), x, options(), 0.5);

        var calibrated = TrainQueryClassifier.calibrate(weights, prompts(200), x, 0.9);
        double[] score = TrainQueryClassifier.scores(QueryClassifier.of(calibrated), prompts(200), x);
        boolean[] complex = TrainQueryClassifier.complexMask(prompts(200));

        assertThat(Metrics.fractionAtOrAbove(score, complex, calibrated.threshold())).isGreaterThanOrEqualTo(0.9);
        assertThat(Metrics.fractionAtOrAbove(score, complex, Math.nextUp(calibrated.threshold()))).isLessThan(0.9);
    }

    @Test
    void excludedSource_getsZeroWeight() {
        var noArithmetic = new TrainQueryClassifier.Options(10, 0.8, 0.1, 0.1, 0.0, 10);

        assertThat(TrainQueryClassifier.sampleWeight("gsm8k", noArithmetic)).isZero();
        assertThat(TrainQueryClassifier.sampleWeight("nq-open", noArithmetic)).isEqualTo(0.1);
        assertThat(TrainQueryClassifier.sampleWeight("mmlu/anatomy", noArithmetic)).isEqualTo(1.0);
    }
}
