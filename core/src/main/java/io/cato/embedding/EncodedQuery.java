package io.cato.embedding;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * One question as the duplicate verifier sees it: its text, its word-piece ids, one unit-length
 * vector per word piece and the pooled sentence vector.
 *
 * <p>Token vectors are kept as int8 with one scale per token: a cache entry then costs about
 * 390 bytes per token instead of 1.5 KB, and the verifier was trained on exactly this
 * representation, so storing it loses nothing at lookup time.
 */
public final class EncodedQuery {

    public static final int DIMENSION = 384;

    private final String text;
    private final int[] tokenIds;
    private final byte[] tokenVectors;
    private final float[] tokenScales;
    private final float[] pooled;

    EncodedQuery(String text, int[] tokenIds, byte[] tokenVectors, float[] tokenScales, float[] pooled) {
        this.text = Objects.requireNonNull(text, "text");
        if (tokenVectors.length != tokenIds.length * DIMENSION || tokenScales.length != tokenIds.length) {
            throw new IllegalArgumentException("token arrays disagree on the number of tokens");
        }
        if (pooled.length != DIMENSION) {
            throw new IllegalArgumentException("pooled vector must have " + DIMENSION + " dimensions");
        }
        this.tokenIds = tokenIds;
        this.tokenVectors = tokenVectors;
        this.tokenScales = tokenScales;
        this.pooled = pooled;
    }

    /** Quantises unit-length token vectors (one row per token) into the stored form. */
    static EncodedQuery of(String text, int[] tokenIds, float[][] unitTokenVectors, float[] pooled) {
        int n = tokenIds.length;
        byte[] q = new byte[n * DIMENSION];
        float[] scales = new float[n];
        for (int t = 0; t < n; t++) {
            float[] v = unitTokenVectors[t];
            float max = 1e-12f;
            for (float x : v) {
                max = Math.max(max, Math.abs(x));
            }
            scales[t] = max / 127f;
            for (int d = 0; d < DIMENSION; d++) {
                q[t * DIMENSION + d] = (byte) Math.round(v[d] / scales[t]);
            }
        }
        return new EncodedQuery(text, tokenIds.clone(), q, scales, pooled.clone());
    }

    public String text() {
        return text;
    }

    public int tokenCount() {
        return tokenIds.length;
    }

    public int tokenId(int index) {
        return tokenIds[index];
    }

    /** The pooled, L2-normalised sentence vector (mean pooling, as the langchain4j model computes it). */
    public float[] pooled() {
        return pooled.clone();
    }

    public float pooledComponent(int d) {
        return pooled[d];
    }

    /** Cosine similarity of two token vectors, one from each query. */
    public float tokenSimilarity(int i, EncodedQuery other, int j) {
        int a = i * DIMENSION;
        int b = j * DIMENSION;
        int dot = 0;
        for (int d = 0; d < DIMENSION; d++) {
            dot += tokenVectors[a + d] * other.tokenVectors[b + d];
        }
        return similarityOfDot(dot, i, other, j);
    }

    /** {@link #tokenSimilarity} from the integer dot product of the two quantised vectors. */
    public float similarityOfDot(int dot, int i, EncodedQuery other, int j) {
        return dot * tokenScales[i] * other.tokenScales[j];
    }

    /** The quantised token vectors widened to int, token after token ({@link #DIMENSION} values each). */
    public int[] widenedTokenVectors() {
        int[] wide = new int[tokenVectors.length];
        for (int k = 0; k < wide.length; k++) {
            wide[k] = tokenVectors[k];
        }
        return wide;
    }

    /** Writes the de-quantised unit vector of one token into {@code into}. */
    public void tokenVector(int index, float[] into) {
        int base = index * DIMENSION;
        for (int d = 0; d < DIMENSION; d++) {
            into[d] = tokenVectors[base + d] * tokenScales[index];
        }
    }

    /** Bytes that {@link #writeTo} produces; what a cache entry has to keep besides its answer. */
    public int serializedSize() {
        byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return 2 + utf8.length + 4 + tokenIds.length * (4 + 4 + DIMENSION) + DIMENSION * 4;
    }

    public void writeTo(DataOutputStream out) throws IOException {
        out.writeUTF(text);
        out.writeInt(tokenIds.length);
        for (int i = 0; i < tokenIds.length; i++) {
            out.writeInt(tokenIds[i]);
            out.writeFloat(tokenScales[i]);
        }
        out.write(tokenVectors);
        for (float x : pooled) {
            out.writeFloat(x);
        }
    }

    public static EncodedQuery readFrom(DataInputStream in) throws IOException {
        String text = in.readUTF();
        int n = in.readInt();
        int[] ids = new int[n];
        float[] scales = new float[n];
        for (int i = 0; i < n; i++) {
            ids[i] = in.readInt();
            scales[i] = in.readFloat();
        }
        byte[] vectors = new byte[n * DIMENSION];
        in.readFully(vectors);
        float[] pooled = new float[DIMENSION];
        for (int d = 0; d < DIMENSION; d++) {
            pooled[d] = in.readFloat();
        }
        return new EncodedQuery(text, ids, vectors, scales, pooled);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncodedQuery q && text.equals(q.text) && Arrays.equals(tokenIds, q.tokenIds)
                && Arrays.equals(tokenVectors, q.tokenVectors) && Arrays.equals(tokenScales, q.tokenScales)
                && Arrays.equals(pooled, q.pooled);
    }

    @Override
    public int hashCode() {
        return text.hashCode() * 31 + Arrays.hashCode(tokenIds);
    }
}
