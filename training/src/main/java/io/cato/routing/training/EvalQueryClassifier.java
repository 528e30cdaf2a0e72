package io.cato.routing.training;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import io.cato.routing.QueryClassifier;

/**
 * {@code ./cato eval-router PROMPTS.jsonl [--threshold t] [--weights FILE.json] [--embeddings DIR]}: scores a
 * labelled prompt file with the shipped classifier (or the given weights) on the gateway's own MiniLM encoder, and
 * prints ranking quality, the figures at the threshold, a per-source breakdown (factoid questions are the
 * {@code nq-open} row) and a threshold sweep. The last line is one JSON object:
 * {@code {"n":N,"auc":a,"complex_recall":r,"simple_kept_cheap":s}}.
 */
public final class EvalQueryClassifier {

    private EvalQueryClassifier() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: cato eval-router PROMPTS.jsonl [--threshold t] [--weights FILE.json] "
                    + "[--embeddings DIR]");
            System.exit(2);
        }
        var flags = CommandLine.flags(args, 1);
        List<LabeledPrompt> prompts = LabeledPrompt.readJsonl(Path.of(args[0]));
        QueryClassifier classifier = loadClassifier(flags);
        double t = classifier.threshold();
        float[][] embeddings;
        try (RouterEmbeddings cache = RouterEmbeddings.fromFlags(flags)) {
            embeddings = cache.embed(TrainQueryClassifier.texts(prompts));
        }
        double[] score = TrainQueryClassifier.scores(classifier, prompts, embeddings);
        boolean[] complex = TrainQueryClassifier.complexMask(prompts);
        boolean[] simple = negate(complex);
        double auc = Metrics.auc(score, complex);
        double recall = Metrics.fractionAtOrAbove(score, complex, t);
        double keptCheap = 1 - Metrics.fractionAtOrAbove(score, simple, t);
        System.out.printf(Locale.ROOT, "%s: %d prompts (%d complex), threshold %.4f%n", args[0], prompts.size(),
                count(complex), t);
        System.out.printf(Locale.ROOT, "AUC %.4f  complex recall %.4f  simple kept cheap %.4f  sent to strong %.4f%n",
                auc, recall, keptCheap, Metrics.fractionAtOrAbove(score, all(score.length), t));
        double[] interval = Metrics.bootstrapAucInterval(score, complex, 2000, 42);
        System.out.printf(Locale.ROOT, "AUC 95%% bootstrap interval [%.3f, %.3f]%n", interval[0], interval[1]);
        printBySource(prompts, score, complex, t);
        printDomains(classifier, prompts, embeddings);
        printSweep(score, complex, simple);
        System.out.printf(Locale.ROOT, "{\"n\":%d,\"auc\":%.4f,\"complex_recall\":%.4f,\"simple_kept_cheap\":%.4f}%n",
                prompts.size(), auc, recall, keptCheap);
    }

    /** Domain spread, and agreement with the provenance-derived domain where the source carries one. */
    private static void printDomains(QueryClassifier classifier, List<LabeledPrompt> prompts, float[][] embeddings) {
        var counts = new java.util.TreeMap<String, Integer>();
        int known = 0;
        int agree = 0;
        for (int i = 0; i < embeddings.length; i++) {
            String domain = classifier.classify(prompts.get(i).prompt(), embeddings[i]).domain();
            counts.merge(domain, 1, Integer::sum);
            String source = prompts.get(i).source();
            if (source.startsWith("mmlu/") || source.equals("gsm8k") || source.equals("nq-open")) {
                known++;
                agree += DomainTaxonomy.LABELS.get(DomainTaxonomy.domainOf(source)).equals(domain) ? 1 : 0;
            }
        }
        System.out.println("domains " + counts + (known == 0 ? ""
                : String.format(Locale.ROOT, ", agreement with source-derived domain %.3f", (double) agree / known)));
    }

    /** The shipped weights, or {@code --weights FILE}; {@code --threshold t} picks another operating point. */
    static QueryClassifier loadClassifier(java.util.Map<String, String> flags) throws IOException {
        QueryClassifier classifier;
        if (flags.containsKey("weights")) {
            try (InputStream in = Files.newInputStream(Path.of(flags.get("weights")))) {
                classifier = QueryClassifier.load(in);
            }
        } else {
            classifier = QueryClassifier.loadDefault();
        }
        return flags.containsKey("threshold")
                ? classifier.withThreshold(Double.parseDouble(flags.get("threshold"))) : classifier;
    }

    private static void printBySource(List<LabeledPrompt> prompts, double[] score, boolean[] complex, double t) {
        TreeSet<String> groups = new TreeSet<>();
        prompts.forEach(p -> groups.add(group(p.source())));
        System.out.println("source            n  complex   auc  to-strong  complex-recall  simple-kept-cheap");
        for (String g : groups) {
            boolean[] in = new boolean[prompts.size()];
            for (int i = 0; i < in.length; i++) {
                in[i] = group(prompts.get(i).source()).equals(g);
            }
            double[] s = select(score, in);
            boolean[] c = select(complex, in);
            System.out.printf(Locale.ROOT, "%-14s %5d %7d %6.3f %9.3f %14.3f %17.3f%n", g, s.length, count(c),
                    Metrics.auc(s, c), Metrics.fractionAtOrAbove(s, all(s.length), t),
                    Metrics.fractionAtOrAbove(s, c, t), 1 - Metrics.fractionAtOrAbove(s, negate(c), t));
        }
    }

    private static void printSweep(double[] score, boolean[] complex, boolean[] simple) {
        System.out.println("threshold  to-strong  complex-recall  simple-kept-cheap");
        for (double t = 0.05; t < 0.951; t += 0.05) {
            System.out.printf(Locale.ROOT, "%9.2f %10.3f %15.3f %18.3f%n", t,
                    Metrics.fractionAtOrAbove(score, all(score.length), t),
                    Metrics.fractionAtOrAbove(score, complex, t), 1 - Metrics.fractionAtOrAbove(score, simple, t));
        }
    }

    /** MMLU subjects are pooled so the table stays readable. */
    private static String group(String source) {
        return source.startsWith("mmlu/") ? "mmlu" : source;
    }

    static boolean[] negate(boolean[] mask) {
        boolean[] out = new boolean[mask.length];
        for (int i = 0; i < mask.length; i++) {
            out[i] = !mask[i];
        }
        return out;
    }

    static boolean[] all(int n) {
        boolean[] out = new boolean[n];
        java.util.Arrays.fill(out, true);
        return out;
    }

    private static int count(boolean[] mask) {
        int n = 0;
        for (boolean b : mask) {
            n += b ? 1 : 0;
        }
        return n;
    }

    private static double[] select(double[] values, boolean[] in) {
        return java.util.stream.IntStream.range(0, values.length).filter(i -> in[i]).mapToDouble(i -> values[i])
                .toArray();
    }

    private static boolean[] select(boolean[] values, boolean[] in) {
        boolean[] out = new boolean[count(in)];
        int k = 0;
        for (int i = 0; i < values.length; i++) {
            if (in[i]) {
                out[k++] = values[i];
            }
        }
        return out;
    }
}
