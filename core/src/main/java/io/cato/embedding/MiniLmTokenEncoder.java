package io.cato.embedding;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Runs the quantised all-MiniLM-L6-v2 model once per text and returns both the per-token vectors
 * the duplicate verifier aligns and the pooled sentence vector the vector index uses, so a lookup
 * pays for a single model pass. Thread-safe: ONNX Runtime sessions and the tokenizer allow
 * concurrent calls. {@link #close()} waits for the encodings under way and frees the native model
 * only then; an encoding asked for afterwards fails with {@link IllegalStateException} (running
 * the freed native session would crash the process).
 */
public final class MiniLmTokenEncoder implements Embedder, AutoCloseable {

    private static final String MODEL_RESOURCE = "/all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-q-tokenizer.json";
    private static final int MAX_TOKENS = 128;

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    /** Encodings hold the read side; close takes the write side, so it waits for them. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private MiniLmTokenEncoder(int intraOpThreads) throws OrtException, IOException {
        environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            session = environment.createSession(readResource(MODEL_RESOURCE), options);
        }
        try (InputStream json = resource(TOKENIZER_RESOURCE)) {
            tokenizer = HuggingFaceTokenizer.newInstance(json, Map.of(
                    "padding", "false", "truncation", "true", "maxLength", Integer.toString(MAX_TOKENS)));
        }
    }

    /** Loads the model; {@code intraOpThreads} bounds the cores one encoding may use. */
    public static MiniLmTokenEncoder load(int intraOpThreads) {
        try {
            return new MiniLmTokenEncoder(intraOpThreads);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot load the MiniLM ONNX model", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int dimension() {
        return EncodedQuery.DIMENSION;
    }

    @Override
    public EncodedQuery encode(String text) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("the MiniLM encoder is closed");
            }
            return run(text);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private EncodedQuery run(String text) {
        Encoding encoding = tokenizer.encode(text);
        long[] ids = encoding.getIds();
        long[][] inputIds = {ids};
        long[][] mask = {encoding.getAttentionMask()};
        long[][] types = {encoding.getTypeIds()};
        try (OnnxTensor idTensor = OnnxTensor.createTensor(environment, inputIds);
             OnnxTensor maskTensor = OnnxTensor.createTensor(environment, mask);
             OnnxTensor typeTensor = OnnxTensor.createTensor(environment, types);
             OrtSession.Result result = session.run(Map.of(
                     "input_ids", idTensor, "attention_mask", maskTensor, "token_type_ids", typeTensor))) {
            float[][] hidden = ((float[][][]) result.get(0).getValue())[0];
            return toQuery(text, ids, hidden);
        } catch (OrtException e) {
            throw new IllegalStateException("MiniLM inference failed", e);
        }
    }

    private static EncodedQuery toQuery(String text, long[] ids, float[][] hidden) {
        int n = ids.length;
        int[] tokenIds = new int[n];
        float[] pooled = new float[EncodedQuery.DIMENSION];
        for (int t = 0; t < n; t++) {
            tokenIds[t] = (int) ids[t];
            for (int d = 0; d < pooled.length; d++) {
                pooled[d] += hidden[t][d];
            }
            VectorMath.normalizeInPlace(hidden[t]);
        }
        VectorMath.normalizeInPlace(pooled);
        return EncodedQuery.of(text, tokenIds, hidden, pooled);
    }

    private static byte[] readResource(String name) throws IOException {
        try (InputStream in = resource(name)) {
            return in.readAllBytes();
        }
    }

    private static InputStream resource(String name) {
        InputStream in = MiniLmTokenEncoder.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("missing classpath resource " + name);
        }
        return in;
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                session.close();
            } catch (OrtException e) {
                throw new IllegalStateException(e);
            } finally {
                tokenizer.close();
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }
}
