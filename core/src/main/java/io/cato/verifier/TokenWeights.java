package io.cato.verifier;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Inverse document frequency of each word piece, learnt from the training questions, plus the
 * pieces that carry no meaning on their own ([CLS], [SEP], punctuation) and are left out of
 * alignment. Rare pieces (names, numbers, technical terms) are what usually tells two
 * near-duplicate questions apart, so they weigh most.
 */
final class TokenWeights {

    private final float[] idf;
    private final boolean[] ignored;

    TokenWeights(float[] idf, boolean[] ignored) {
        if (idf.length != ignored.length) {
            throw new IllegalArgumentException("idf and ignore tables differ in size");
        }
        this.idf = idf;
        this.ignored = ignored;
    }

    float idf(int tokenId) {
        return tokenId >= 0 && tokenId < idf.length ? idf[tokenId] : maxIdf();
    }

    boolean ignored(int tokenId) {
        return tokenId >= 0 && tokenId < ignored.length && ignored[tokenId];
    }

    private float maxIdf() {
        float max = 0;
        for (float x : idf) {
            max = Math.max(max, x);
        }
        return max;
    }

    void writeTo(DataOutputStream out) throws IOException {
        out.writeInt(idf.length);
        for (int i = 0; i < idf.length; i++) {
            out.writeFloat(idf[i]);
            out.writeBoolean(ignored[i]);
        }
    }

    static TokenWeights readFrom(DataInputStream in) throws IOException {
        int n = in.readInt();
        float[] idf = new float[n];
        boolean[] ignored = new boolean[n];
        for (int i = 0; i < n; i++) {
            idf[i] = in.readFloat();
            ignored[i] = in.readBoolean();
        }
        return new TokenWeights(idf, ignored);
    }
}
