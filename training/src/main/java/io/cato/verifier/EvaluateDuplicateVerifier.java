package io.cato.verifier;

import io.cato.embedding.EncodedQuery;
import io.cato.embedding.MiniLmTokenEncoder;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints the dev curve of a trained verifier and a final JSON line:
 * {@code pairs.jsonl [weights.bin] [encodingCache] [--dump-scores FILE] [--time-encoder]}; without a weights file
 * the shipped ones are used.
 */
public final class EvaluateDuplicateVerifier {

    private static final double[] CURVE_POINTS = {0.0025, 0.005, 0.008, 0.009, 0.01, 0.02, 0.05, 0.10};

    private EvaluateDuplicateVerifier() {
    }

    public static void main(String[] arguments) throws Exception {
        TrainingOptions options = TrainingOptions.parse(arguments).allowing("dump-scores", "time-encoder");
        String[] args = options.positional().toArray(String[]::new);
        List<QqpPair> pairs = QqpPairs.read(Path.of(args[0]));
        DuplicateVerifier verifier;
        if (args.length > 1 && !args[1].equals("-")) {
            try (InputStream in = Files.newInputStream(Path.of(args[1]))) {
                verifier = DuplicateVerifier.load(in);
            }
        } else {
            verifier = DuplicateVerifier.loadDefault();
        }
        Path cache = Path.of(args.length > 2 ? args[2] : "work/encodings.bin");
        Map<String, EncodedQuery> encodings = EncodingCache.loadOrBuild(cache,
                TrainDuplicateVerifier.texts(pairs, List.of()), () -> MiniLmTokenEncoder.load(1));
        double[] scores = new double[pairs.size()];
        boolean[] labels = new boolean[pairs.size()];
        long start = System.nanoTime();
        for (int i = 0; i < pairs.size(); i++) {
            QqpPair p = pairs.get(i);
            scores[i] = verifier.score(encodings.get(p.textA()), encodings.get(p.textB()));
            labels[i] = p.duplicate();
        }
        double msPerPair = (System.nanoTime() - start) / 1e6 / pairs.size();
        OperatingCurve curve = new OperatingCurve(scores, labels);
        System.out.printf(Locale.ROOT, "verifier cost (encodings given): %.3f ms per pair%n", msPerPair);
        if (options.text("dump-scores").isPresent()) {
            dumpScores(Path.of(options.text("dump-scores").get()), pairs, scores);
        }
        if (options.flag("time-encoder")) {
            timeEncoder(pairs);
        }
        printCurve(curve, verifier.threshold());
        System.out.printf(Locale.ROOT, "{\"pairs\":%d,\"duplicate_hit_rate\":%.4f,\"false_hit_rate\":%.4f,"
                        + "\"threshold\":%.6f}%n", curve.pairs(), curve.hitRate(verifier.threshold()),
                curve.falseHitRate(verifier.threshold()), verifier.threshold());
    }

    private static void dumpScores(Path file, List<QqpPair> pairs, double[] scores) throws java.io.IOException {
        List<String> lines = new java.util.ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            QqpPair p = pairs.get(i);
            lines.add(String.format(Locale.ROOT, "%.6f\t%d\t%s\t%s", scores[i], p.duplicate() ? 1 : 0,
                    p.textA().replace('\t', ' '), p.textB().replace('\t', ' ')));
        }
        Files.write(file, lines);
    }

    /** The model pass a lookup pays for the new question, on one thread, after warm-up. */
    private static void timeEncoder(List<QqpPair> pairs) {
        try (MiniLmTokenEncoder encoder = MiniLmTokenEncoder.load(1)) {
            int n = Math.min(500, pairs.size());
            for (int i = 0; i < 50; i++) {
                encoder.encode(pairs.get(i).textB());
            }
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                encoder.encode(pairs.get(i).textB());
            }
            System.out.printf(Locale.ROOT, "encoder cost (1 thread): %.2f ms per question%n",
                    (System.nanoTime() - start) / 1e6 / n);
        }
    }

    static void printCurve(OperatingCurve curve, double shippedThreshold) {
        System.out.printf(Locale.ROOT, "AUC %.4f over %d pairs%n", curve.auc(), curve.pairs());
        System.out.println("false-hit budget  threshold  duplicate hit rate  false-hit rate");
        for (double budget : CURVE_POINTS) {
            double t = curve.thresholdFor(budget);
            System.out.printf(Locale.ROOT, "  %6.2f%%        %.6f   %6.2f%%             %5.2f%%%n", 100 * budget, t,
                    100 * curve.hitRate(t), 100 * curve.falseHitRate(t));
        }
        System.out.printf(Locale.ROOT, "shipped threshold %.6f: duplicate hit rate %.2f%%, false-hit rate %.2f%%%n",
                shippedThreshold, 100 * curve.hitRate(shippedThreshold), 100 * curve.falseHitRate(shippedThreshold));
    }
}
