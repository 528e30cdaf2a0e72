package io.cato.cache;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Trains the duplicate verifier: {@code train.jsonl dev.jsonl out.bin [falseHitBudget] [encodingCache]}.
 *
 * <p>Trees are fitted on the training pairs only; a seeded tenth of them picks the number of
 * rounds, then the model is refitted on all of them. The dev pairs only place the threshold, at a
 * safety fraction of the false-hit budget so that it still holds on unseen pairs.
 */
public final class TrainDuplicateVerifier {

    static final long SEED = 20240607L;
    private static final int BAGS = Integer.getInteger("bags", 3);
    private static final double THRESHOLD_SAFETY = Double.parseDouble(System.getProperty("safety", "0.8"));

    private TrainDuplicateVerifier() {
    }

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        List<QqpPair> train = QqpPairs.read(Path.of(args[0]));
        List<QqpPair> dev = QqpPairs.read(Path.of(args[1]));
        Path out = Path.of(args[2]);
        double budget = args.length > 3 ? Double.parseDouble(args[3]) : 0.01;
        Path cache = Path.of(args.length > 4 ? args[4] : "work/encodings.bin");
        Map<String, EncodedQuery> encodings = EncodingCache.loadOrBuild(cache, texts(train, dev),
                () -> MiniLmTokenEncoder.load(1));
        Set<EncodedQuery> trainQuestions = new LinkedHashSet<>();
        texts(train, List.of()).forEach(t -> trainQuestions.add(encodings.get(t)));
        TokenWeights weights = TokenWeightsFitter.fit(trainQuestions);
        PairFeatures base = new PairFeatures(weights, null);
        LabelledFeatures trainBase = LabelledFeatures.of(train, encodings, base);
        HeadStacking.Result stacked = HeadStacking.fit(trainBase.encoded(), trainBase.y(), base, SEED);
        LabelledFeatures trainSet = trainBase.withColumn(PairFeatures.HEAD_FEATURE, stacked.outOfFold());
        LabelledFeatures devSet = LabelledFeatures.of(dev, encodings, new PairFeatures(weights, stacked.head()));
        System.out.printf("features: %d per pair, %d train pairs, %d dev pairs%n",
                trainSet.names().size(), trainSet.size(), devSet.size());

        GradientBoostingTrainer.Settings settings = settings();
        int rounds = chooseRounds(trainSet, settings);
        BoostedTrees model = fitBagged(trainSet, withRounds(settings, (int) Math.round(rounds / 0.9)));
        DuplicateVerifier verifier = new DuplicateVerifier(weights, stacked.head(), model, trainSet.names(), 0.5);
        writeAtThreshold(verifier, devSet, budget, out);
        System.out.printf("trees: %d; wrote %s in %.1f s%n", model.treeCount(), out, (System.nanoTime() - start) / 1e9);
    }

    private static void writeAtThreshold(DuplicateVerifier verifier, LabelledFeatures dev, double budget, Path out)
            throws java.io.IOException {
        OperatingCurve curve = new OperatingCurve(dev.scores(verifier), dev.y());
        double threshold = curve.thresholdFor(budget * THRESHOLD_SAFETY);
        verifier.withThreshold(threshold).writeTo(out);
        System.out.printf("threshold %.6f chosen for %.2f%% false hits on dev (budget %.2f%%)%n",
                threshold, 100 * budget * THRESHOLD_SAFETY, 100 * budget);
        EvaluateDuplicateVerifier.printCurve(curve, threshold);
    }

    static GradientBoostingTrainer.Settings settings() {
        return new GradientBoostingTrainer.Settings(
                Integer.getInteger("rounds", 1300),
                Double.parseDouble(System.getProperty("lr", "0.03")),
                Integer.getInteger("depth", 6),
                Double.parseDouble(System.getProperty("minHessian", "3")),
                Double.parseDouble(System.getProperty("lambda", "2")),
                Double.parseDouble(System.getProperty("rowSample", "0.8")),
                Double.parseDouble(System.getProperty("featureSample", "0.6")),
                Integer.getInteger("bins", 128),
                Double.parseDouble(System.getProperty("negativeWeight", "2")),
                SEED);
    }

    private static GradientBoostingTrainer.Settings withRounds(GradientBoostingTrainer.Settings s, int rounds) {
        return new GradientBoostingTrainer.Settings(rounds, s.learningRate(), s.maxDepth(), s.minChildHessian(),
                s.lambda(), s.rowSample(), s.featureSample(), s.maxBins(), s.negativeWeight(), s.seed());
    }

    /** Averages models that differ only in their sampling seed: steadier at the extreme top of the ranking. */
    private static BoostedTrees fitBagged(LabelledFeatures train, GradientBoostingTrainer.Settings settings) {
        List<BoostedTrees> models = new ArrayList<>();
        for (int k = 0; k < BAGS; k++) {
            GradientBoostingTrainer.Settings s = new GradientBoostingTrainer.Settings(settings.rounds(),
                    settings.learningRate(), settings.maxDepth(), settings.minChildHessian(), settings.lambda(),
                    settings.rowSample(), settings.featureSample(), settings.maxBins(), settings.negativeWeight(),
                    settings.seed() + k);
            models.add(new GradientBoostingTrainer(s).train(train.x(), train.y(), null));
            System.out.printf("  fitted model %d of %d on all training pairs (%d rounds)%n", k + 1, BAGS, s.rounds());
        }
        return BoostedTrees.average(models);
    }

    /** Fits on 90% of train and returns the round count with the best validation log-loss. */
    private static int chooseRounds(LabelledFeatures train, GradientBoostingTrainer.Settings settings) {
        LabelledFeatures[] split = train.split(0.1, new SplittableRandom(SEED));
        ValidationTracker tracker = new ValidationTracker(split[1]);
        new GradientBoostingTrainer(settings).train(split[0].x(), split[0].y(), tracker);
        System.out.printf("validation: best log-loss %.4f at %d rounds%n", tracker.bestLoss(), tracker.bestRound());
        return tracker.bestRound();
    }

    static Set<String> texts(List<QqpPair> first, List<QqpPair> second) {
        Set<String> texts = new LinkedHashSet<>();
        List<QqpPair> all = new ArrayList<>(first);
        all.addAll(second);
        for (QqpPair p : all) {
            texts.add(p.textA());
            texts.add(p.textB());
        }
        return texts;
    }
}
