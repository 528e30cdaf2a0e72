package io.cato.routing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Serialized form of a trained {@link QueryClassifier}. Weights are stored in the raw input space (standardisation
 * already folded in) so that inference is a plain dot product.
 *
 * @param format             file format version, bumped on incompatible changes
 * @param embeddingModel     name of the sentence-embedding model the weights were trained against
 * @param embeddingDimension expected embedding length
 * @param threshold          default complexity threshold
 * @param surfaceFeatures    names of the {@link QueryFeatures} appended after the embedding, in order
 * @param complexity         logistic head over embedding + surface features
 * @param domains            softmax head over the embedding only
 */
public record QueryClassifierWeights(
        int format,
        String embeddingModel,
        int embeddingDimension,
        double threshold,
        List<String> surfaceFeatures,
        LinearHead complexity,
        SoftmaxHead domains) {

    public static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);

    /** A single logistic unit. */
    public record LinearHead(float[] weights, double bias) {
    }

    /** One linear unit per label, normalised with a softmax. */
    public record SoftmaxHead(List<String> labels, float[][] weights, double[] bias) {
    }

    public static QueryClassifierWeights read(InputStream in) throws IOException {
        return JSON.readValue(in, QueryClassifierWeights.class);
    }

    public void write(OutputStream out) throws IOException {
        JSON.writeValue(out, this);
    }
}
