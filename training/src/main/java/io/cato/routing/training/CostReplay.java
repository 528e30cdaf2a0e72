package io.cato.routing.training;

import io.cato.embedding.MiniLmTokenEncoder;
import io.cato.model.ModelClient;
import io.cato.model.ModelReply;
import io.cato.model.ModelRequest;
import io.cato.model.Provider;
import io.cato.model.TierConfig;
import io.cato.model.TokenUsage;
import io.cato.routing.Answer;
import io.cato.routing.Orchestrator;
import io.cato.routing.QueryClassifier;
import io.cato.routing.QueryCommand;
import io.cato.routing.Router;
import io.cato.routing.RoutingSettings;
import io.cato.routing.Tier;
import io.cato.routing.Tiers;
import io.cato.session.InMemorySessionStore;
import io.cato.model.TokenEstimator;
import io.cato.status.ServiceStats;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./cato replay-router-cost PROMPTS.jsonl [--threshold t] [--weights FILE] [--output-tokens 300]
 * [--sonnet-price IN,OUT] [--haiku-price IN,OUT]}: sends every prompt through the orchestrator and its router (the
 * same classifier, encoder and fallback loop as a request) to two priced stub tiers, {@code bedrock_sonnet} and
 * {@code bedrock_haiku}, and prices what each answer cost, against sending everything to {@code bedrock_sonnet}.
 * The stubs answer at once; each reports the prompt's estimated input tokens and a fixed number of output tokens.
 * Prices are US dollars per 1,000 tokens (default Claude Sonnet 4 $0.003/$0.015, Claude 3.5 Haiku $0.0008/$0.004).
 * The last line is one JSON object with the three figures: cost routed vs all-Sonnet, saving, complex to Sonnet.
 */
public final class CostReplay {
    static final String STRONG = "bedrock_sonnet";
    static final String CHEAP = "bedrock_haiku";

    private CostReplay() {
    }

    /** A tier that answers at once and reports a fixed-size answer, so that only routing decides the cost. */
    record PricedStub(String name, int outputTokens) implements ModelClient {
        @Override
        public ModelReply complete(ModelRequest request) {
            int input = TokenEstimator.estimateMessage(request.system() == null ? "" : request.system())
                    + request.messages().stream().mapToInt(m -> TokenEstimator.estimateMessage(m.content())).sum();
            return new ModelReply("answer from " + name, name, new TokenUsage(input, outputTokens, 0));
        }
    }

    record Pass(double[] cost, String[] tier, double[] score) {
        double total() {
            return Arrays.stream(cost).sum();
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: cato replay-router-cost PROMPTS.jsonl [--threshold t] [--weights FILE] "
                    + "[--output-tokens 300] [--sonnet-price 0.003,0.015] [--haiku-price 0.0008,0.004]");
            System.exit(2);
        }
        Map<String, String> flags = CommandLine.flags(args, 1);
        List<LabeledPrompt> prompts = LabeledPrompt.readJsonl(Path.of(args[0]));
        QueryClassifier classifier = EvalQueryClassifier.loadClassifier(flags);
        int outputTokens = Integer.parseInt(flags.getOrDefault("output-tokens", "300"));
        Tiers tiers = new Tiers(List.of(
                tier(STRONG, prices(flags.getOrDefault("sonnet-price", "0.003,0.015")), outputTokens),
                tier(CHEAP, prices(flags.getOrDefault("haiku-price", "0.0008,0.004")), outputTokens)),
                List.of(STRONG, CHEAP, "memory"));
        Pass routed;
        Pass allStrong;
        Pass allCheap;
        try (MiniLmTokenEncoder encoder = MiniLmTokenEncoder.load(1)) {
            RoutingSettings settings = RoutingSettings.defaults();
            Orchestrator orchestrator = orchestrator(new Router(tiers, settings,
                    Optional.of(new Router.Classifying(classifier, encoder))));
            routed = replay(orchestrator, prompts, Optional.empty());
            allStrong = replay(orchestrator, prompts, Optional.of(STRONG));
            allCheap = replay(orchestrator, prompts, Optional.of(CHEAP));
        }
        boolean[] complex = TrainQueryClassifier.complexMask(prompts);
        printSweep(routed.score(), complex, allStrong, allCheap);
        int complexCount = 0;
        int complexUp = 0;
        int up = 0;
        for (int i = 0; i < prompts.size(); i++) {
            boolean toStrong = routed.tier()[i].equals(STRONG);
            up += toStrong ? 1 : 0;
            if (complex[i]) {
                complexCount++;
                complexUp += toStrong ? 1 : 0;
            }
        }
        System.out.printf(Locale.ROOT, "%d prompts through the router at threshold %.4f, %d output tokens each: "
                + "%.1f%% answered by %s%n", prompts.size(), classifier.threshold(), outputTokens,
                100.0 * up / prompts.size(), STRONG);
        System.out.printf(Locale.ROOT, "{\"n\":%d,\"cost_all_sonnet\":%.4f,\"cost_routed\":%.4f,\"saving\":%.4f,"
                + "\"complex_to_sonnet\":%.4f}%n", prompts.size(), allStrong.total(), routed.total(),
                1 - routed.total() / allStrong.total(), complexCount == 0 ? Double.NaN : (double) complexUp / complexCount);
    }

    private static Orchestrator orchestrator(Router router) {
        return Orchestrator.builder(new InMemorySessionStore(), router)
                .limits(new Orchestrator.Limits(0, 1024, 0.7, Duration.ofSeconds(30))).build();
    }

    private static Pass replay(Orchestrator orchestrator, List<LabeledPrompt> prompts, Optional<String> pinned) {
        double[] cost = new double[prompts.size()];
        String[] tier = new String[prompts.size()];
        double[] score = new double[prompts.size()];
        for (int i = 0; i < prompts.size(); i++) {
            QueryCommand command = QueryCommand.builder().tenant("replay").query(prompts.get(i).prompt())
                    .model(pinned).build();
            Answer answer = orchestrator.answer(command, null);
            cost[i] = answer.costUsd();
            tier[i] = answer.tier();
            score[i] = answer.classification().map(c -> c.complexity()).orElse(Double.NaN);
        }
        return new Pass(cost, tier, score);
    }

    /** The cost/quality trade-off at other thresholds, from the same scores and per-prompt prices. */
    private static void printSweep(double[] score, boolean[] complex, Pass strong, Pass cheap) {
        System.out.println("threshold  to-sonnet  saving  complex-to-sonnet");
        double[] sorted = score.clone();
        Arrays.sort(sorted);
        for (int q = 5; q < 100; q += 5) {
            double t = sorted[q * sorted.length / 100];
            double cost = 0;
            int up = 0;
            int complexUp = 0;
            int complexCount = 0;
            for (int i = 0; i < score.length; i++) {
                boolean toStrong = score[i] >= t;
                cost += toStrong ? strong.cost()[i] : cheap.cost()[i];
                up += toStrong ? 1 : 0;
                complexCount += complex[i] ? 1 : 0;
                complexUp += complex[i] && toStrong ? 1 : 0;
            }
            System.out.printf(Locale.ROOT, "%9.4f %10.3f %7.3f %18.3f%n", t, (double) up / score.length,
                    1 - cost / strong.total(), (double) complexUp / complexCount);
        }
    }

    private static Tier tier(String name, TierConfig.Prices prices, int outputTokens) {
        TierConfig config = TierConfig.builder().name(name).provider(Provider.OPENAI).modelId(name)
                .baseUrl(Optional.of("http://replay.invalid")).prices(prices).timeout(Duration.ofSeconds(30))
                .contextWindow(200_000).historyBudget(16_000).maxOutputTokens(4096).build();
        return new Tier(config, new PricedStub(name, outputTokens));
    }

    private static TierConfig.Prices prices(String inOut) {
        String[] parts = inOut.split(",");
        return new TierConfig.Prices(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]), 0);
    }
}
