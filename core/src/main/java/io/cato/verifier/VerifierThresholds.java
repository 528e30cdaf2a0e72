package io.cato.verifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The verifier's dev curve as shipped: which threshold gave which false-hit rate on
 * {@code qqp/dev.jsonl}. A budget is served by the threshold measured at 90% of it, which leaves
 * margin for the sampling error of a dev estimate (about 0.16 points at 1% on 3,500 different-question
 * pairs).
 */
public final class VerifierThresholds {
    static final String RESOURCE = "/io/cato/verifier/duplicate-verifier-thresholds.json";
    static final double MARGIN = 0.9;

    private final TreeMap<Double, Double> byRate;

    VerifierThresholds(Map<Double, Double> byRate) {
        this.byRate = new TreeMap<>(byRate);
    }

    public static VerifierThresholds shipped() {
        try (InputStream in = VerifierThresholds.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + RESOURCE);
            }
            JsonNode table = new ObjectMapper().readTree(in).path("false_hit_rate_to_threshold");
            Map<Double, Double> byRate = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = table.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                byRate.put(Double.parseDouble(e.getKey()), e.getValue().asDouble());
            }
            return new VerifierThresholds(byRate);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The threshold for a false-hit budget, interpolated linearly between measured points. */
    public double forBudget(double budget) {
        double rate = budget * MARGIN;
        Map.Entry<Double, Double> low = byRate.floorEntry(rate);
        Map.Entry<Double, Double> high = byRate.ceilingEntry(rate);
        if (low == null) {
            return high.getValue();
        }
        if (high == null || high.getKey().equals(low.getKey())) {
            return low.getValue();
        }
        double f = (rate - low.getKey()) / (high.getKey() - low.getKey());
        return low.getValue() + f * (high.getValue() - low.getValue());
    }
}
