package io.cato.verifier;

import io.cato.embedding.EncodedQuery;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Feature rows of labelled pairs, computed once and reused across training runs. */
record LabelledFeatures(double[][] x, boolean[] y, List<String> names, List<QqpPair> pairs,
                        List<EncodedQuery[]> encoded) {

    static LabelledFeatures of(List<QqpPair> pairs, Map<String, EncodedQuery> encodings, PairFeatures features) {
        double[][] x = new double[pairs.size()][];
        boolean[] y = new boolean[pairs.size()];
        EncodedQuery[][] enc = new EncodedQuery[pairs.size()][];
        for (int i = 0; i < pairs.size(); i++) {
            QqpPair p = pairs.get(i);
            enc[i] = new EncodedQuery[] {encodings.get(p.textA()), encodings.get(p.textB())};
            x[i] = features.compute(enc[i][0], enc[i][1]);
            y[i] = p.duplicate();
        }
        List<String> names = features.names(enc[0][0], enc[0][1]);
        return new LabelledFeatures(x, y, names, pairs, List.of(enc));
    }

    /** Appends one column (e.g. out-of-fold head scores) under {@code name}. */
    LabelledFeatures withColumn(String name, double[] column) {
        double[][] wider = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            wider[i] = java.util.Arrays.copyOf(x[i], x[i].length + 1);
            wider[i][x[i].length] = column[i];
        }
        List<String> widerNames = new java.util.ArrayList<>(names);
        widerNames.add(name);
        return new LabelledFeatures(wider, y, widerNames, pairs, encoded);
    }

    int size() {
        return x.length;
    }

    double[] scores(DuplicateVerifier verifier) {
        double[] s = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            s[i] = verifier.score(encoded.get(i)[0], encoded.get(i)[1]);
        }
        return s;
    }

    /** Seeded split into {rest, held-out fraction}. */
    LabelledFeatures[] split(double fraction, SplittableRandom random) {
        int n = x.length;
        int[] order = java.util.stream.IntStream.range(0, n).toArray();
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int held = (int) Math.round(n * fraction);
        return new LabelledFeatures[] {subset(order, held, n), subset(order, 0, held)};
    }

    private LabelledFeatures subset(int[] order, int from, int to) {
        double[][] sx = new double[to - from][];
        boolean[] sy = new boolean[to - from];
        QqpPair[] sp = new QqpPair[to - from];
        EncodedQuery[][] se = new EncodedQuery[to - from][];
        for (int k = from; k < to; k++) {
            sx[k - from] = x[order[k]];
            sy[k - from] = y[order[k]];
            sp[k - from] = pairs.get(order[k]);
            se[k - from] = encoded.get(order[k]);
        }
        return new LabelledFeatures(sx, sy, names, List.of(sp), List.of(se));
    }
}
