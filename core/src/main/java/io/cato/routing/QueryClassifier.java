package io.cato.routing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * Decides whether a query should go to the cheap or the expensive model tier, and names its coarse domain.
 *
 * <p>The score is a logistic model over the query's sentence embedding plus a few surface features of the text
 * (see {@link QueryFeatures}). It is trained on benchmark prompts whose labels say whether a weak model failed where
 * a strong one succeeded; the training recipe favours signals that carry over to chat traffic (task type and
 * subject area) over benchmark-specific ones. Instances are immutable and safe to share between threads; load once.
 */
public final class QueryClassifier {

    /** Classpath location of the weights shipped with the gateway. */
    public static final String DEFAULT_RESOURCE = "/io/cato/routing/query-classifier.json";

    private final int dimension;
    private final List<String> surfaceFeatures;
    private final float[] complexityWeights;
    private final double complexityBias;
    private final List<String> domainLabels;
    private final float[][] domainWeights;
    private final double[] domainBias;
    private final double threshold;

    private QueryClassifier(QueryClassifierWeights w, double threshold) {
        if (w.format() != QueryClassifierWeights.FORMAT) {
            throw new IllegalArgumentException("Unsupported weights format " + w.format());
        }
        if (!w.surfaceFeatures().equals(QueryFeatures.NAMES)) {
            throw new IllegalArgumentException("Weights expect surface features " + w.surfaceFeatures());
        }
        this.dimension = w.embeddingDimension();
        this.surfaceFeatures = List.copyOf(w.surfaceFeatures());
        this.complexityWeights = w.complexity().weights().clone();
        this.complexityBias = w.complexity().bias();
        this.domainLabels = List.copyOf(w.domains().labels());
        this.domainWeights = deepCopy(w.domains().weights());
        this.domainBias = w.domains().bias().clone();
        this.threshold = checkThreshold(threshold);
        if (complexityWeights.length != dimension + surfaceFeatures.size()) {
            throw new IllegalArgumentException("Complexity head has " + complexityWeights.length + " weights");
        }
    }

    /** Loads the weights shipped on the classpath, using their default threshold. */
    public static QueryClassifier loadDefault() {
        try (InputStream in = QueryClassifier.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Missing classifier weights " + DEFAULT_RESOURCE);
            }
            return load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read classifier weights " + DEFAULT_RESOURCE, e);
        }
    }

    /** Loads weights from a stream (not closed), using their default threshold. */
    public static QueryClassifier load(InputStream in) throws IOException {
        return of(QueryClassifierWeights.read(in));
    }

    public static QueryClassifier of(QueryClassifierWeights weights) {
        return new QueryClassifier(weights, weights.threshold());
    }

    /** Same model with another operating point: lower thresholds send more traffic to the expensive tier. */
    public QueryClassifier withThreshold(double newThreshold) {
        return new QueryClassifier(this, newThreshold);
    }

    private QueryClassifier(QueryClassifier other, double threshold) {
        this.dimension = other.dimension;
        this.surfaceFeatures = other.surfaceFeatures;
        this.complexityWeights = other.complexityWeights;
        this.complexityBias = other.complexityBias;
        this.domainLabels = other.domainLabels;
        this.domainWeights = other.domainWeights;
        this.domainBias = other.domainBias;
        this.threshold = checkThreshold(threshold);
    }

    public double threshold() {
        return threshold;
    }

    public int embeddingDimension() {
        return dimension;
    }

    /**
     * Classifies a query given its sentence embedding: the pooled MiniLM vector ({@code EncodedQuery.pooled()}) that
     * the semantic cache computes during its lookup, so routing adds no second model pass.
     */
    public Classification classify(String query, float[] embedding) {
        if (embedding == null || embedding.length != dimension) {
            throw new IllegalArgumentException("Expected an embedding of length " + dimension);
        }
        double complexity = sigmoid(complexityLogit(query, embedding));
        boolean complex = complexity >= threshold;
        String domain = domain(embedding);
        String reason = String.format(Locale.ROOT, "%s tier: complexity %.2f %s threshold %.2f, domain %s",
                complex ? "strong" : "cheap", complexity, complex ? ">=" : "<", threshold, domain);
        return new Classification(complexity, complex, domain, reason);
    }

    private double complexityLogit(String query, float[] embedding) {
        double z = complexityBias + dot(complexityWeights, 0, embedding);
        double[] surface = QueryFeatures.extract(query);
        for (int i = 0; i < surface.length; i++) {
            z += complexityWeights[dimension + i] * surface[i];
        }
        return z;
    }

    private String domain(float[] embedding) {
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        // Argmax of the logits equals argmax of the softmax, so the normalisation is skipped.
        for (int k = 0; k < domainLabels.size(); k++) {
            double score = domainBias[k] + dot(domainWeights[k], 0, embedding);
            if (score > bestScore) {
                bestScore = score;
                best = k;
            }
        }
        return domainLabels.get(best);
    }

    private static double dot(float[] weights, int offset, float[] x) {
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            sum += weights[offset + i] * x[i];
        }
        return sum;
    }

    public static double sigmoid(double z) {
        return 1.0 / (1.0 + Math.exp(-z));
    }

    private static double checkThreshold(double t) {
        if (!(t >= 0 && t <= 1)) {
            throw new IllegalArgumentException("Threshold must be in [0, 1]: " + t);
        }
        return t;
    }

    private static float[][] deepCopy(float[][] rows) {
        float[][] copy = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            copy[i] = rows[i].clone();
        }
        return copy;
    }
}
