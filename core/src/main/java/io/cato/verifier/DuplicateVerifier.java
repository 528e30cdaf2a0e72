package io.cato.verifier;

import io.cato.embedding.EncodedQuery;
import io.cato.embedding.MiniLmTokenEncoder;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Decides whether a new question asks the same thing as a cached one, tuned so that serving a
 * wrong cached answer stays rare. The vector index proposes the neighbour; this class confirms it
 * from the token-level alignment of both questions and their surface differences.
 *
 * <p>Both sides are {@link EncodedQuery} values from {@link MiniLmTokenEncoder}: one model pass per
 * question yields the pooled vector for the index and the token vectors used here. A cache entry
 * keeps its question's encoding from store time ({@link EncodedQuery#writeTo}, about 400 bytes per
 * word piece plus 1.5 KB, roughly 8 KB for a typical question), so a lookup encodes only the new
 * question.
 *
 * <p>Immutable after loading and safe to share between threads.
 */
public final class DuplicateVerifier {

    public static final String RESOURCE = "/io/cato/verifier/duplicate-verifier.bin";
    private static final String MAGIC = "cato-duplicate-verifier";
    private static final int FORMAT = 1;

    private final TokenWeights weights;
    private final InteractionHead head;
    private final PairFeatures features;
    private final BoostedTrees model;
    private final List<String> featureNames;
    private final double threshold;

    DuplicateVerifier(TokenWeights weights, InteractionHead head, BoostedTrees model, List<String> featureNames,
                      double threshold) {
        this.weights = weights;
        this.head = head;
        this.features = new PairFeatures(weights, head);
        this.model = model;
        this.featureNames = List.copyOf(featureNames);
        this.threshold = threshold;
    }

    /** Loads the weights shipped on the classpath. */
    public static DuplicateVerifier loadDefault() {
        InputStream in = DuplicateVerifier.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException("missing classpath resource " + RESOURCE);
        }
        return load(in);
    }

    public static DuplicateVerifier load(InputStream stream) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(stream))) {
            if (!MAGIC.equals(in.readUTF()) || in.readInt() != FORMAT) {
                throw new IllegalArgumentException("not a duplicate-verifier weights file of format " + FORMAT);
            }
            double threshold = in.readDouble();
            String[] names = new String[in.readInt()];
            for (int i = 0; i < names.length; i++) {
                names[i] = in.readUTF();
            }
            TokenWeights weights = TokenWeights.readFrom(in);
            InteractionHead head = InteractionHead.read(in);
            return new DuplicateVerifier(weights, head, BoostedTrees.readFrom(in), Arrays.asList(names), threshold);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read duplicate-verifier weights", e);
        }
    }

    /** Probability-like score in [0, 1] that {@code query} asks the same as {@code stored}. */
    public double score(EncodedQuery stored, EncodedQuery query) {
        if (SurfaceForm.same(stored.text(), query.text())) {
            return 1.0;
        }
        double[] x = features.compute(stored, query);
        return 1 / (1 + Math.exp(-model.logOdds(x)));
    }

    /** Whether the cached answer of {@code stored} may be served for {@code query}. */
    public boolean sameQuestion(EncodedQuery stored, EncodedQuery query) {
        return score(stored, query) >= threshold;
    }

    /** The shipped operating threshold on {@link #score}. */
    public double threshold() {
        return threshold;
    }

    /** The same model at another operating point, e.g. for a different false-hit budget. */
    public DuplicateVerifier withThreshold(double newThreshold) {
        return new DuplicateVerifier(weights, head, model, featureNames, newThreshold);
    }

    List<String> featureNames() {
        return featureNames;
    }

    BoostedTrees trees() {
        return model;
    }

    double[] featuresOf(EncodedQuery stored, EncodedQuery query) {
        return features.compute(stored, query);
    }

    void writeTo(Path file) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeUTF(MAGIC);
            out.writeInt(FORMAT);
            out.writeDouble(threshold);
            out.writeInt(featureNames.size());
            for (String name : featureNames) {
                out.writeUTF(name);
            }
            weights.writeTo(out);
            InteractionHead.write(head, out);
            model.writeTo(out);
        }
    }
}
