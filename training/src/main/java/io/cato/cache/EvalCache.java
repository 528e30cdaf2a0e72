package io.cato.cache;

import io.cato.config.SettingsLoader;
import io.cato.embedding.MiniLmTokenEncoder;
import io.cato.verifier.DuplicateVerifier;
import io.cato.verifier.QqpPair;
import io.cato.verifier.QqpPairs;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code ./cato eval-cache PAIRS.jsonl [--limit N] [--curve]}: plays each labelled pair as "store
 * text_a, then ask text_b" through the real cache path (exact tier, Lucene vector tier, MiniLM,
 * the shipped verifier) at the shipped settings, and prints how often duplicates were served
 * (hits) and how often different questions were served (false hits). Each pair has its own scope,
 * so pairs never answer each other. The last line on stdout is one JSON object.
 */
public final class EvalCache {
    private static final double[] CURVE_BUDGETS = {0.0025, 0.005, 0.008, 0.009, 0.01, 0.02, 0.05, 0.10};

    private EvalCache() {
    }

    public static void main(String[] args) throws IOException {
        Path file = null;
        int limit = Integer.MAX_VALUE;
        boolean curve = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--limit" -> limit = Integer.parseInt(args[++i]);
                case "--curve" -> curve = true;
                default -> {
                    if (args[i].startsWith("--") || file != null) {
                        usage("unknown argument " + args[i]);
                    }
                    file = Path.of(args[i]);
                }
            }
        }
        if (file == null) {
            usage("give the pairs file");
        }
        List<QqpPair> pairs = QqpPairs.read(file, limit);
        CacheSettings settings = SettingsLoader.fromProcess().load(Optional.empty()).cache();
        double[] scores = new double[pairs.size()];
        boolean[] served = new boolean[pairs.size()];
        long started = System.nanoTime();
        try (MiniLmTokenEncoder embedder = MiniLmTokenEncoder.load(1);
             LuceneVectorIndex index = LuceneVectorIndex.inMemory()) {
            SemanticCache cache = new SemanticCache(embedder, DuplicateVerifier.loadDefault(),
                    new InMemoryExactCache(Math.max(16, pairs.size())), index, settings, Clock.systemUTC());
            System.err.printf(Locale.ROOT, "eval-cache: %d pairs from %s, threshold %.6f (false-hit budget %.4f)%n",
                    pairs.size(), file, cache.threshold(), settings.falseHitBudget());
            for (int i = 0; i < pairs.size(); i++) {
                QqpPair p = pairs.get(i);
                CacheScope scope = CacheScope.of("pair-" + i, "general", CacheScope.AUTO_MODEL, null);
                cache.store(scope, p.textA(), Optional.empty(), "answer to pair " + i, "eval", "eval");
                switch (cache.lookup(scope, p.textB(), false)) {
                    case SemanticCache.Hit hit -> {
                        served[i] = true;
                        scores[i] = hit.verifierScore();
                    }
                    case SemanticCache.Miss miss -> scores[i] = miss.bestScore();
                    case SemanticCache.Bypass bypass -> scores[i] = Double.NEGATIVE_INFINITY;
                }
                if ((i + 1) % 500 == 0) {
                    System.err.printf(Locale.ROOT, "eval-cache: %d/%d pairs, %.1f s%n", i + 1, pairs.size(),
                            (System.nanoTime() - started) / 1e9);
                }
            }
            if (curve) {
                printCurve(pairs, scores, cache.threshold());
            }
            long dups = pairs.stream().filter(QqpPair::duplicate).count();
            long others = pairs.size() - dups;
            long hits = 0;
            long falseHits = 0;
            for (int i = 0; i < pairs.size(); i++) {
                if (served[i]) {
                    if (pairs.get(i).duplicate()) {
                        hits++;
                    } else {
                        falseHits++;
                    }
                }
            }
            System.out.printf(Locale.ROOT,
                    "{\"pairs\":%d,\"duplicate_hit_rate\":%.4f,\"false_hit_rate\":%.4f,\"threshold\":%.6f}%n",
                    pairs.size(), dups == 0 ? 0.0 : (double) hits / dups, others == 0 ? 0.0 : (double) falseHits / others,
                    cache.threshold());
        }
    }

    /** Hit and false-hit rates if the verifier threshold were set for each budget on this set. */
    private static void printCurve(List<QqpPair> pairs, double[] scores, double shipped) {
        List<Double> negatives = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            if (!pairs.get(i).duplicate()) {
                negatives.add(scores[i]);
            }
        }
        double[] neg = negatives.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.println("false-hit budget  threshold  duplicate hit rate  false-hit rate");
        for (double budget : CURVE_BUDGETS) {
            int allowed = (int) Math.floor(budget * neg.length);
            double threshold = neg.length == 0 ? 0 : Math.nextUp(neg[Math.max(0, neg.length - allowed - 1)]);
            System.out.printf(Locale.ROOT, "  %6.2f%%        %.6f   %6.2f%%             %5.2f%%%n", 100 * budget,
                    threshold, 100 * rate(pairs, scores, threshold, true), 100 * rate(pairs, scores, threshold, false));
        }
        System.out.printf(Locale.ROOT, "shipped threshold %.6f: duplicate hit rate %.2f%%, false-hit rate %.2f%%%n",
                shipped, 100 * rate(pairs, scores, shipped, true), 100 * rate(pairs, scores, shipped, false));
    }

    private static double rate(List<QqpPair> pairs, double[] scores, double threshold, boolean duplicates) {
        long n = 0;
        long above = 0;
        for (int i = 0; i < pairs.size(); i++) {
            if (pairs.get(i).duplicate() == duplicates) {
                n++;
                above += scores[i] >= threshold ? 1 : 0;
            }
        }
        return n == 0 ? 0 : (double) above / n;
    }

    private static void usage(String problem) {
        System.err.println("eval-cache: " + problem);
        System.err.println("usage: ./cato eval-cache PAIRS.jsonl [--limit N] [--curve]");
        System.exit(2);
    }
}
