package io.cato.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MlpHeadTest {

    @Test
    void logOdds_isBitForBitTheRowMajorSumItWasTrainedWith() {
        Random random = new Random(7);
        int inputs = 96;
        int hidden = 24;
        float[] mean = floats(random, inputs);
        float[] scale = floats(random, inputs);
        float[] weights = floats(random, inputs * hidden);
        float[] bias = floats(random, hidden);
        float[] output = floats(random, hidden);
        MlpHead head = new MlpHead(mean, scale, weights, bias, output, 0.25f);

        for (int trial = 0; trial < 50; trial++) {
            float[] x = floats(random, inputs);
            double expected = 0.25f;
            for (int h = 0; h < hidden; h++) {
                float a = bias[h];
                for (int i = 0; i < inputs; i++) {
                    a += weights[h * inputs + i] * ((x[i] - mean[i]) * scale[i]);
                }
                expected += output[h] * Math.max(a, 0f);
            }
            assertThat(head.logOdds(x)).isEqualTo(expected);
        }
    }

    private static float[] floats(Random random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    @Test
    void writtenWeights_areTheRowMajorOnes_andReadBackScoreTheSame() throws java.io.IOException {
        Random random = new Random(5);
        int inputs = 12;
        int hidden = 5;
        float[] weights = floats(random, inputs * hidden);
        MlpHead head = new MlpHead(floats(random, inputs), floats(random, inputs), weights, floats(random, hidden),
                floats(random, hidden), -0.5f);

        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        head.writeTo(new java.io.DataOutputStream(bytes));
        java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()));
        in.skipNBytes(2 * Integer.BYTES + 2L * inputs * Float.BYTES);
        for (float w : weights) {
            assertThat(in.readFloat()).isEqualTo(w);
        }
        MlpHead back = MlpHead.readFrom(
                new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray())));
        float[] x = floats(random, inputs);
        assertThat(back.logOdds(x)).isEqualTo(head.logOdds(x));
    }
}
