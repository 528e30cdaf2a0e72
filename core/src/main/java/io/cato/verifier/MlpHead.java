package io.cato.verifier;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A one-hidden-layer ReLU network over a standardised {@link InteractionVector}; returns log-odds.
 * Weights are stored row-major, one row of {@code inputs} weights per hidden unit. Scoring walks a
 * transposed copy, input by input, updating every hidden unit at once: the loop over hidden units
 * has no carried dependency, so it runs in SIMD lanes, and each unit still adds its terms in input
 * order, so the scores are bit-for-bit those of the row-major sum.
 */
final class MlpHead implements InteractionHead {

    private final float[] mean;
    private final float[] scale;
    /** The row-major weights transposed: {@code hidden} weights per input. */
    private final float[] weightsByInput;
    private final float[] hiddenBias;
    private final float[] outputWeights;
    private final float outputBias;

    MlpHead(float[] mean, float[] scale, float[] hiddenWeights, float[] hiddenBias, float[] outputWeights,
            float outputBias) {
        if (hiddenWeights.length != hiddenBias.length * mean.length || outputWeights.length != hiddenBias.length) {
            throw new IllegalArgumentException("inconsistent head dimensions");
        }
        this.mean = mean;
        this.scale = scale;
        this.weightsByInput = transpose(hiddenWeights, hiddenBias.length, mean.length);
        this.hiddenBias = hiddenBias;
        this.outputWeights = outputWeights;
        this.outputBias = outputBias;
    }

    @Override
    public double logOdds(float[] x) {
        float[] z = standardise(x, mean, scale);
        int hidden = hiddenBias.length;
        float[] a = hiddenBias.clone();
        for (int i = 0; i < z.length; i++) {
            float zi = z[i];
            int row = i * hidden;
            for (int h = 0; h < hidden; h++) {
                a[h] += weightsByInput[row + h] * zi;
            }
        }
        double out = outputBias;
        for (int h = 0; h < hidden; h++) {
            out += outputWeights[h] * Math.max(a[h], 0f);
        }
        return out;
    }

    /** A {@code rows} x {@code columns} row-major matrix transposed, row-major again. */
    private static float[] transpose(float[] matrix, int rows, int columns) {
        float[] t = new float[matrix.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                t[c * rows + r] = matrix[r * columns + c];
            }
        }
        return t;
    }

    static float[] standardise(float[] x, float[] mean, float[] scale) {
        float[] z = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            z[i] = (x[i] - mean[i]) * scale[i];
        }
        return z;
    }

    @Override
    public void writeTo(DataOutputStream out) throws IOException {
        out.writeInt(mean.length);
        out.writeInt(hiddenBias.length);
        writeFloats(out, mean);
        writeFloats(out, scale);
        writeFloats(out, transpose(weightsByInput, mean.length, hiddenBias.length));
        writeFloats(out, hiddenBias);
        writeFloats(out, outputWeights);
        out.writeFloat(outputBias);
    }

    static MlpHead readFrom(DataInputStream in) throws IOException {
        int inputs = in.readInt();
        int hidden = in.readInt();
        return new MlpHead(readFloats(in, inputs), readFloats(in, inputs), readFloats(in, inputs * hidden),
                readFloats(in, hidden), readFloats(in, hidden), in.readFloat());
    }

    private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
        for (float v : values) {
            out.writeFloat(v);
        }
    }

    private static float[] readFloats(DataInputStream in, int n) throws IOException {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = in.readFloat();
        }
        return values;
    }
}
