package io.cato.routing;

import io.cato.embedding.Embedder;
import io.cato.embedding.EncodedQuery;
import io.cato.model.Capability;
import io.cato.model.Provider;
import io.cato.model.TierConfig;
import io.cato.model.TokenEstimator;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Picks the order in which tiers are tried for one query: a pinned tier, or the classifier's choice between the
 * strong and the cheap tier, followed by its fallback chain; tiers whose context window cannot hold the prompt are
 * left out. When the strong or the cheap tier is not deployed, or no classifier is loaded, it keeps the configured
 * chain's order.
 */
public final class Router {

    /** The classifier with the encoder it was trained on, used when the cache did not encode the query. */
    public record Classifying(QueryClassifier classifier, Embedder embedder) {
    }

    /**
     * The plan for one query.
     *
     * @param order the tiers to try, in order; the memory tier is always last, and absent when the request needs
     *     tools, images or structured output
     * @param chosen the tier the decision picked, before window fitting
     * @param reason why the first tier of {@code order} comes first
     */
    public record Route(List<Tier> order, String chosen, String reason, Optional<Classification> classification) {
    }

    public static final String CLASSIFIED_COMPLEX = "classified_complex";
    public static final String CLASSIFIED_SIMPLE = "classified_simple";
    public static final String PINNED = "pinned_model";
    public static final String CHAIN_ORDER = "first_available_in_chain";
    public static final String CONTEXT_WINDOW = "context_window";
    /** The chosen tier cannot take the request's tools, images or structured output. */
    public static final String CAPABILITY = "capability";
    /** Why a request whose dollar budget is spent goes to its downgrade tier. */
    public static final String OVER_BUDGET = "over_budget_downgrade";

    private final Tiers tiers;
    private final RoutingSettings settings;
    private final Optional<Classifying> classifying;
    private final Map<String, Tier> byName = new LinkedHashMap<>();

    public Router(Tiers tiers, RoutingSettings settings, Optional<Classifying> classifying) {
        this.tiers = tiers;
        this.settings = settings;
        this.classifying = classifying.map(c -> settings.threshold()
                .map(t -> new Classifying(c.classifier().withThreshold(t), c.embedder())).orElse(c));
        tiers.chain().forEach(tier -> byName.put(tier.name(), tier));
    }

    /** A router that keeps the chain's order: no classifier, nothing pinned unless asked. */
    public static Router chainOrder(Tiers tiers) {
        return new Router(tiers, RoutingSettings.defaults(), Optional.empty());
    }

    /** Whether queries are classified: a classifier is loaded and both the strong and the cheap tier are deployed. */
    public boolean classifies() {
        return classifying.isPresent() && byName.containsKey(settings.complexTier())
                && byName.containsKey(settings.simpleTier());
    }

    public RoutingSettings settings() {
        return settings;
    }

    /**
     * The tier a request's {@code model} pins, empty for automatic routing.
     *
     * @throws UnknownModelException when the name is neither a deployed tier nor an automatic-routing name
     */
    public Optional<String> pinnedTier(Optional<String> requestedModel) {
        if (requestedModel.isEmpty() || settings.autoModels().contains(requestedModel.get())) {
            return Optional.empty();
        }
        if (!byName.containsKey(requestedModel.get())) {
            throw new UnknownModelException(requestedModel.get());
        }
        return requestedModel;
    }

    /**
     * Plans one query.
     *
     * @param encoding the query's encoding when the cache already computed it; the classifier reuses it
     */
    public Route route(QueryCommand command, Optional<EncodedQuery> encoding) {
        Optional<String> pinned = pinnedTier(command.model());
        Optional<Classification> classification = Optional.empty();
        String chosen;
        String reason;
        if (pinned.isPresent()) {
            chosen = pinned.get();
            reason = PINNED;
        } else if (classifies()) {
            Classifying c = classifying.get();
            float[] vector = encoding.map(EncodedQuery::pooled)
                    .orElseGet(() -> c.embedder().encode(command.query()).pooled());
            Classification result = c.classifier().classify(command.query(), vector);
            classification = Optional.of(result);
            chosen = result.complex() ? settings.complexTier() : settings.simpleTier();
            reason = result.complex() ? CLASSIFIED_COMPLEX : CLASSIFIED_SIMPLE;
        } else {
            chosen = tiers.chain().getFirst().name();
            reason = CHAIN_ORDER;
        }
        int promptTokens = promptTokens(command);
        List<Tier> fitting = chainFrom(chosen).stream().filter(tier -> fits(tier.config(), promptTokens)).toList();
        List<Tier> order = capable(fitting, command);
        if (!order.getFirst().name().equals(chosen)) {
            reason = fitting.getFirst().name().equals(chosen) ? CAPABILITY : CONTEXT_WINDOW;
        }
        return new Route(order, chosen, reason, classification);
    }

    /**
     * Checks, before any answer starts, that a tier able to take what the request needs (tools, images,
     * structured output) may answer it.
     *
     * @throws UnsupportedCapabilityException when the pinned tier, or every deployed tier, cannot
     */
    public void requireCapable(QueryCommand command) {
        Optional<String> pinned = pinnedTier(command.model());
        capable(pinned.map(this::chainFrom).orElse(tiers.chain()), command);
    }

    /**
     * The tiers of {@code order} that take what the request needs; the memory tier takes nothing beyond text, so a
     * request needing more is never answered by it without what it asked for.
     */
    private List<Tier> capable(List<Tier> order, QueryCommand command) {
        Set<Capability> needed = command.options().requiredCapabilities();
        if (needed.isEmpty()) {
            return order;
        }
        Tier first = order.getFirst();
        if (pinnedTier(command.model()).isPresent() && !first.config().supports(needed)) {
            Set<Capability> missing = EnumSet.copyOf(needed);
            missing.removeAll(first.config().capabilities());
            throw new UnsupportedCapabilityException("model '" + first.name() + "'", missing);
        }
        List<Tier> capable = order.stream().filter(tier -> tier.config().supports(needed)).toList();
        if (capable.isEmpty()) {
            throw new UnsupportedCapabilityException("no deployed tier", needed);
        }
        return capable;
    }

    /**
     * The route of a request whose dollar budget is spent and whose policy is to downgrade: the downgrade tier, then
     * the memory tier if the request needs nothing beyond text. Empty when that tier is not deployed or cannot take
     * what the request needs (tools, images, structured output): the budget's refusal then stands, rather than an
     * answer without what was asked for.
     */
    public Optional<Route> downgradeTo(String tierName, QueryCommand command) {
        Tier tier = byName.get(tierName);
        Set<Capability> needed = command.options().requiredCapabilities();
        if (tier == null || !tier.config().supports(needed)) {
            return Optional.empty();
        }
        Tier memory = tiers.chain().getLast();
        List<Tier> order = (tier.equals(memory) ? List.of(memory) : List.of(tier, memory)).stream()
                .filter(t -> t.config().supports(needed)).toList();
        return Optional.of(new Route(order, tierName, OVER_BUDGET, Optional.empty()));
    }

    /** The first tier, then its own fallback chain or the global chain's other tiers; memory last. */
    List<Tier> chainFrom(String first) {
        List<Tier> order = new ArrayList<>();
        order.add(byName.get(first));
        List<String> next = settings.fallbackChains().get(first);
        if (next != null) {
            next.stream().map(byName::get).filter(t -> t != null && !order.contains(t)).forEach(order::add);
        } else {
            tiers.chain().stream().filter(t -> !order.contains(t)).forEach(order::add);
        }
        Tier memory = tiers.chain().getLast();
        order.remove(memory);
        order.add(memory);
        return List.copyOf(order);
    }

    /** Tokens of the prompt that cannot be trimmed: the query and the system prompt (history is cut to budget). */
    static int promptTokens(QueryCommand command) {
        return TokenEstimator.estimateMessage(command.query())
                + command.system().map(TokenEstimator::estimateMessage).orElse(0);
    }

    /** Whether the tier's window holds the prompt and its longest answer; the memory tier holds anything. */
    static boolean fits(TierConfig tier, int promptTokens) {
        return tier.provider() == Provider.MEMORY || promptTokens + tier.maxOutputTokens() <= tier.contextWindow();
    }
}
