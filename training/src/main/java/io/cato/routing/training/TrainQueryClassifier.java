package io.cato.routing.training;

import io.cato.digest.Sha256;
import io.cato.routing.QueryClassifier;
import io.cato.routing.QueryClassifierWeights;
import io.cato.routing.QueryFeatures;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ./cato train-router TRAIN.jsonl OUTPUT.json [options]}: trains the query classifier and writes its weights.
 *
 * <p>Options: {@code --holdout-percent 10} (share of TRAIN, chosen by a hash of each prompt, kept out of fitting and
 * used to set the default threshold), {@code --target-recall 0.8} (the threshold is the highest that still sends
 * this share of the held-out complex prompts to the strong tier), {@code --l2 0.1}, {@code --factoid-weight 0.1},
 * {@code --arithmetic-weight 0}, {@code --iterations 1500}, {@code --embeddings DIR}, {@code --threads N}.
 *
 * <p>The labels mean "a weak model failed where a strong one succeeded". Two sources teach shortcuts that do not
 * carry over to chat prompts, so the recipe down-weights them: open-domain factoid questions (all labelled simple,
 * they would teach "any short question is simple") and grade-school arithmetic (it would teach "word problems are
 * complex"). No evaluation file is read: the threshold comes from the held-out part of TRAIN. Training is full-batch
 * from zero weights and the split is a hash, so the same inputs always give byte-identical weights.
 */
public final class TrainQueryClassifier {

    /** What the trainer is asked to do; see the class comment for the flags. */
    record Options(double holdoutPercent, double targetRecall, double l2, double factoidWeight,
                   double arithmeticWeight, int iterations) {

        static Options parse(Map<String, String> flags) {
            return new Options(Double.parseDouble(flags.getOrDefault("holdout-percent", "10")),
                    Double.parseDouble(flags.getOrDefault("target-recall", "0.8")),
                    Double.parseDouble(flags.getOrDefault("l2", "0.1")),
                    Double.parseDouble(flags.getOrDefault("factoid-weight", "0.1")),
                    Double.parseDouble(flags.getOrDefault("arithmetic-weight", "0")),
                    Integer.parseInt(flags.getOrDefault("iterations", "1500")));
        }
    }

    static final String EMBEDDING_MODEL = "all-minilm-l6-v2-q, mean pooled, 128 tokens (MiniLmTokenEncoder)";

    private TrainQueryClassifier() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: cato train-router TRAIN.jsonl OUTPUT.json [--holdout-percent 10] "
                    + "[--target-recall 0.8] [--l2 0.1] [--factoid-weight 0.1] [--arithmetic-weight 0] "
                    + "[--iterations 1500] [--embeddings DIR] [--threads N]");
            System.exit(2);
        }
        long start = System.nanoTime();
        Map<String, String> flags = CommandLine.flags(args, 2);
        Options options = Options.parse(flags);
        List<LabeledPrompt> all = LabeledPrompt.readJsonl(Path.of(args[0]));
        List<LabeledPrompt> fit = new ArrayList<>();
        List<LabeledPrompt> holdout = new ArrayList<>();
        for (LabeledPrompt p : all) {
            (heldOut(p.prompt(), options.holdoutPercent()) ? holdout : fit).add(p);
        }
        System.err.printf("training on %d prompts, %d held out for the threshold%n", fit.size(), holdout.size());
        QueryClassifierWeights weights;
        try (RouterEmbeddings embeddings = RouterEmbeddings.fromFlags(flags)) {
            weights = train(fit, embeddings.embed(texts(fit)), options, 0.5);
            if (!holdout.isEmpty()) {
                weights = calibrate(weights, holdout, embeddings.embed(texts(holdout)), options.targetRecall());
            }
        }
        Path output = Path.of(args[1]).toAbsolutePath();
        Files.createDirectories(output.getParent());
        try (OutputStream out = Files.newOutputStream(output)) {
            weights.write(out);
        }
        System.err.printf("wrote %s (threshold %.4f) in %.1f s%n", output, weights.threshold(),
                (System.nanoTime() - start) / 1e9);
    }

    /** A stable pseudo-random split: the same prompt always lands on the same side. */
    static boolean heldOut(String prompt, double percent) {
        byte[] digest = Sha256.of(prompt);
        int bucket = ((digest[0] & 0xff) << 8 | (digest[1] & 0xff)) % 10_000;
        return bucket < percent * 100;
    }

    static List<String> texts(List<LabeledPrompt> prompts) {
        return prompts.stream().map(LabeledPrompt::prompt).toList();
    }

    static QueryClassifierWeights train(List<LabeledPrompt> data, float[][] embeddings, Options options,
            double threshold) {
        var complexity = trainComplexity(data, embeddings, options);
        var domains = trainDomains(data, embeddings);
        return new QueryClassifierWeights(QueryClassifierWeights.FORMAT, EMBEDDING_MODEL,
                embeddings[0].length, threshold, QueryFeatures.NAMES, complexity, domains);
    }

    private static QueryClassifierWeights.LinearHead trainComplexity(List<LabeledPrompt> data, float[][] embeddings,
            Options options) {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            if (sampleWeight(data.get(i).source(), options) > 0) {
                rows.add(i);
            }
        }
        double[][] x = new double[rows.size()][];
        double[] y = new double[rows.size()];
        double[] weight = new double[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            LabeledPrompt p = data.get(rows.get(r));
            x[r] = concat(embeddings[rows.get(r)], QueryFeatures.extract(p.prompt()));
            y[r] = p.complex() ? 1 : 0;
            weight[r] = sampleWeight(p.source(), options);
        }
        System.err.printf("complexity head: %d rows, %d inputs, l2 %.3g%n", x.length, x[0].length, options.l2());
        Standardizer standardizer = Standardizer.fit(x);
        double[] w = LinearModels.fitLogistic(standardizer.transform(x), y, weight, options.l2(),
                options.iterations());
        return new QueryClassifierWeights.LinearHead(standardizer.foldWeights(w), standardizer.foldBias(w));
    }

    private static QueryClassifierWeights.SoftmaxHead trainDomains(List<LabeledPrompt> data, float[][] embeddings) {
        double[][] x = new double[data.size()][];
        int[] label = new int[data.size()];
        for (int i = 0; i < data.size(); i++) {
            x[i] = concat(embeddings[i], new double[0]);
            label[i] = DomainTaxonomy.domainOf(data.get(i).source());
        }
        System.err.printf("domain head: %d rows, %d labels%n", x.length, DomainTaxonomy.LABELS.size());
        Standardizer standardizer = Standardizer.fit(x);
        double[][] w = LinearModels.fitSoftmax(standardizer.transform(x), label, DomainTaxonomy.LABELS.size(),
                0.01, 300);
        float[][] weights = new float[w.length][];
        double[] bias = new double[w.length];
        for (int k = 0; k < w.length; k++) {
            weights[k] = standardizer.foldWeights(w[k]);
            bias[k] = standardizer.foldBias(w[k]);
        }
        return new QueryClassifierWeights.SoftmaxHead(DomainTaxonomy.LABELS, weights, bias);
    }

    /** Picks the highest threshold that still sends the target share of held-out complex prompts upstream. */
    static QueryClassifierWeights calibrate(QueryClassifierWeights weights, List<LabeledPrompt> holdout,
            float[][] embeddings, double targetRecall) {
        double[] score = scores(QueryClassifier.of(weights), holdout, embeddings);
        double threshold = Metrics.thresholdForRecall(score, complexMask(holdout), targetRecall);
        System.err.printf("threshold %.4f keeps complex recall %.2f on %d held-out prompts%n", threshold,
                targetRecall, holdout.size());
        return new QueryClassifierWeights(weights.format(), weights.embeddingModel(), weights.embeddingDimension(),
                threshold, weights.surfaceFeatures(), weights.complexity(), weights.domains());
    }

    static double[] scores(QueryClassifier classifier, List<LabeledPrompt> prompts, float[][] embeddings) {
        double[] score = new double[prompts.size()];
        for (int i = 0; i < score.length; i++) {
            score[i] = classifier.classify(prompts.get(i).prompt(), embeddings[i]).complexity();
        }
        return score;
    }

    static boolean[] complexMask(List<LabeledPrompt> prompts) {
        boolean[] mask = new boolean[prompts.size()];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = prompts.get(i).complex();
        }
        return mask;
    }

    static double sampleWeight(String source, Options options) {
        return switch (source) {
            case "nq-open" -> options.factoidWeight();
            case "gsm8k" -> options.arithmeticWeight();
            default -> 1.0;
        };
    }

    private static double[] concat(float[] embedding, double[] surface) {
        double[] row = new double[embedding.length + surface.length];
        for (int j = 0; j < embedding.length; j++) {
            row[j] = embedding[j];
        }
        System.arraycopy(surface, 0, row, embedding.length, surface.length);
        return row;
    }
}
