package io.cato.verifier;

import io.cato.embedding.EncodedQuery;
import io.cato.embedding.MiniLmTokenEncoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Trains the duplicate verifier: {@code train.jsonl dev.jsonl out.bin [falseHitBudget] [encodingCache] [options]},
 * options (defaults in brackets): {@code --rounds [1300] --lr [0.03] --depth [6] --min-hessian [3] --lambda [2]
 * --row-sample [0.8] --feature-sample [0.6] --bins [128] --negative-weight [2] --bags [3] --safety [0.8]
 * --head-hidden [128] --head-epochs [8] --head-rate [1e-3] --head-decay [1e-4]}.
 *
 * <p>Trees are fitted on the training pairs only; a seeded tenth of them picks the number of
 * rounds, then the model is refitted on all of them. The dev pairs only place the threshold, at a
 * safety fraction of the false-hit budget so that it still holds on unseen pairs.
 */
public final class TrainDuplicateVerifier {

    static final long SEED = 20240607L;
    static final String[] OPTIONS = {"rounds", "lr", "depth", "min-hessian", "lambda", "row-sample",
        "feature-sample", "bins", "negative-weight", "bags", "safety", "head-hidden", "head-epochs", "head-rate",
        "head-decay"};

    private TrainDuplicateVerifier() {
    }

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        TrainingOptions options = TrainingOptions.parse(args).allowing(OPTIONS);
        List<QqpPair> train = QqpPairs.read(Path.of(options.positional().get(0)));
        List<QqpPair> dev = QqpPairs.read(Path.of(options.positional().get(1)));
        Path out = Path.of(options.positional().get(2));
        double budget = options.positional(3).map(Double::parseDouble).orElse(0.01);
        Path cache = Path.of(options.positional(4).orElse("work/encodings.bin"));
        Map<String, EncodedQuery> encodings = EncodingCache.loadOrBuild(cache, texts(train, dev),
                () -> MiniLmTokenEncoder.load(1));
        Set<EncodedQuery> trainQuestions = new LinkedHashSet<>();
        texts(train, List.of()).forEach(t -> trainQuestions.add(encodings.get(t)));
        TokenWeights weights = TokenWeightsFitter.fit(trainQuestions);
        PairFeatures base = new PairFeatures(weights, null);
        LabelledFeatures trainBase = LabelledFeatures.of(train, encodings, base);
        HeadStacking.Result stacked = HeadStacking.fit(trainBase.encoded(), trainBase.y(), base, SEED,
                MlpHeadTrainer.Options.from(options));
        LabelledFeatures trainSet = trainBase.withColumn(PairFeatures.HEAD_FEATURE, stacked.outOfFold());
        LabelledFeatures devSet = LabelledFeatures.of(dev, encodings, new PairFeatures(weights, stacked.head()));
        System.out.printf("features: %d per pair, %d train pairs, %d dev pairs%n",
                trainSet.names().size(), trainSet.size(), devSet.size());

        GradientBoostingTrainer.Settings settings = settings(options);
        int rounds = chooseRounds(trainSet, settings);
        BoostedTrees model = fitBagged(trainSet, withRounds(settings, (int) Math.round(rounds / 0.9)),
                options.integer("bags", 3));
        DuplicateVerifier verifier = new DuplicateVerifier(weights, stacked.head(), model, trainSet.names(), 0.5);
        writeAtThreshold(verifier, devSet, budget * options.decimal("safety", 0.8), budget, out);
        System.out.printf("trees: %d; wrote %s in %.1f s%n", model.treeCount(), out, (System.nanoTime() - start) / 1e9);
    }

    /** @param target the false-hit rate the threshold is placed at on dev: a safety fraction of {@code budget} */
    private static void writeAtThreshold(DuplicateVerifier verifier, LabelledFeatures dev, double target,
                                         double budget, Path out) throws java.io.IOException {
        OperatingCurve curve = new OperatingCurve(dev.scores(verifier), dev.y());
        double threshold = curve.thresholdFor(target);
        verifier.withThreshold(threshold).writeTo(out);
        System.out.printf("threshold %.6f chosen for %.2f%% false hits on dev (budget %.2f%%)%n",
                threshold, 100 * target, 100 * budget);
        EvaluateDuplicateVerifier.printCurve(curve, threshold);
    }

    static GradientBoostingTrainer.Settings settings(TrainingOptions options) {
        return new GradientBoostingTrainer.Settings(
                options.integer("rounds", 1300),
                options.decimal("lr", 0.03),
                options.integer("depth", 6),
                options.decimal("min-hessian", 3),
                options.decimal("lambda", 2),
                options.decimal("row-sample", 0.8),
                options.decimal("feature-sample", 0.6),
                options.integer("bins", 128),
                options.decimal("negative-weight", 2),
                SEED);
    }

    private static GradientBoostingTrainer.Settings withRounds(GradientBoostingTrainer.Settings s, int rounds) {
        return new GradientBoostingTrainer.Settings(rounds, s.learningRate(), s.maxDepth(), s.minChildHessian(),
                s.lambda(), s.rowSample(), s.featureSample(), s.maxBins(), s.negativeWeight(), s.seed());
    }

    /** Averages models that differ only in their sampling seed: steadier at the extreme top of the ranking. */
    private static BoostedTrees fitBagged(LabelledFeatures train, GradientBoostingTrainer.Settings settings, int bags) {
        List<BoostedTrees> models = new ArrayList<>();
        for (int k = 0; k < bags; k++) {
            GradientBoostingTrainer.Settings s = new GradientBoostingTrainer.Settings(settings.rounds(),
                    settings.learningRate(), settings.maxDepth(), settings.minChildHessian(), settings.lambda(),
                    settings.rowSample(), settings.featureSample(), settings.maxBins(), settings.negativeWeight(),
                    settings.seed() + k);
            models.add(new GradientBoostingTrainer(s).train(train.x(), train.y(), null));
            System.out.printf("  fitted model %d of %d on all training pairs (%d rounds)%n", k + 1, bags, s.rounds());
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
