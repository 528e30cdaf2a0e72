package io.cato.verifier;

import java.util.ArrayList;
import java.util.List;

/** Collects named feature values in a fixed order, so names and values cannot drift apart. */
final class FeatureVector {

    private final List<String> names = new ArrayList<>();
    private double[] values = new double[128];

    void add(String name, double value) {
        if (names.size() == values.length) {
            values = java.util.Arrays.copyOf(values, values.length * 2);
        }
        values[names.size()] = Double.isFinite(value) ? value : 0.0;
        names.add(name);
    }

    /** Adds the order-free summary of a quantity measured in both directions (stored→new, new→stored). */
    void addBoth(String name, double ab, double ba) {
        add(name + "_min", Math.min(ab, ba));
        add(name + "_max", Math.max(ab, ba));
    }

    double[] values() {
        return java.util.Arrays.copyOf(values, names.size());
    }

    List<String> names() {
        return List.copyOf(names);
    }
}
