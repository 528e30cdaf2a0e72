package io.cato.routing;

import io.cato.budget.Admission;
import io.cato.budget.BudgetExceededException;
import io.cato.budget.Budgets;
import io.cato.cache.CacheScope;
import io.cato.cache.SemanticCache;
import io.cato.embedding.EncodedQuery;
import io.cato.memory.MemoryRecall;
import io.cato.model.Deadline;
import io.cato.model.MemoryAnswerer;
import io.cato.model.ModelReply;
import io.cato.model.ModelRequest;
import io.cato.model.Provider;
import io.cato.model.TierConfig;
import io.cato.model.TokenUsage;
import io.cato.session.SessionStore;
import io.cato.model.TokenEstimator;
import io.cato.status.MetricsSink;
import io.cato.status.ServiceStats;
import io.cato.verification.VerificationStarter;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a query: the one entry point both the Lambda function and the local server call. It reads the
 * conversation ({@link Conversations}), asks the shared cache ({@link SharedAnswers}), routes the query
 * ({@link Router}) and walks the route's tiers within the request's deadline ({@link FallbackChain}), then keeps
 * the answer for others and records it in the conversation, in that order and outside the chain. Its caller's
 * limits ({@link Budgets}) let the request in before any of that, and meter each model call of the chain.
 */
public final class Orchestrator {
    private static final Logger LOG = LoggerFactory.getLogger(Orchestrator.class);

    /** The domain a query without one belongs to, in cache scopes and metrics. */
    public static final String DEFAULT_DOMAIN = "general";
    /** The tier name cached answers report. */
    public static final String CACHE_TIER = "cache";

    /**
     * Settings of the answer path.
     *
     * @param deadline how long a request may take when its edge sets no deadline of its own
     * @param memoryReserve time every chain keeps back for the memory tier
     * @param maxQueryBytes the largest question (UTF-8) a session may record with its answer
     */
    public record Limits(int maxTurnsRead, int defaultMaxTokens, double defaultTemperature, Duration deadline,
                         Duration memoryReserve, int maxQueryBytes) {
        public static final Duration DEFAULT_MEMORY_RESERVE = Duration.ofSeconds(1);
        public static final int DEFAULT_MAX_QUERY_BYTES = 128 * 1024;

        public Limits(int maxTurnsRead, int defaultMaxTokens, double defaultTemperature, Duration deadline) {
            this(maxTurnsRead, defaultMaxTokens, defaultTemperature, deadline, DEFAULT_MEMORY_RESERVE,
                    DEFAULT_MAX_QUERY_BYTES);
        }
    }

    /**
     * Long-term memory on the answer path: facts and episodes recalled into the context before a
     * model is called, and verification started after an answer is recorded.
     */
    public record LongTermMemory(Optional<MemoryRecall> recall, Optional<VerificationStarter> verification) {
        public static final LongTermMemory NONE = new LongTermMemory(Optional.empty(), Optional.empty());
    }

    private final Router router;
    private final ServiceStats stats;
    private final Limits limits;
    private final Optional<MemoryRecall> recall;
    private final Conversations conversations;
    private final SharedAnswers shared;
    private final FallbackChain chain;
    private final Prompts prompts;
    private final Budgets budgets;

    private Orchestrator(Builder b) {
        this.router = b.router;
        this.stats = b.stats;
        this.limits = b.limits;
        this.recall = b.memory.recall();
        this.conversations = new Conversations(b.sessions, b.memory.verification(), b.clock, b.limits.maxTurnsRead(),
                b.limits.maxQueryBytes());
        this.shared = new SharedAnswers(b.cache);
        this.chain = new FallbackChain(b.stats, b.limits.memoryReserve());
        this.prompts = new Prompts(b.limits.defaultMaxTokens(), b.limits.defaultTemperature());
        this.budgets = b.budgets;
    }

    /** An answer path over {@code sessions} and {@code router}; the rest has defaults a test can keep. */
    public static Builder builder(SessionStore sessions, Router router) {
        return new Builder(sessions, router);
    }

    public Router router() {
        return router;
    }

    public Optional<SemanticCache> cache() {
        return shared.cache();
    }

    public Budgets budgets() {
        return budgets;
    }

    /**
     * A query with its conversation loaded, its deadline set and its caller's limits passed, ready to be answered.
     *
     * @param admission what the caller's limits let in; {@link #answer} finishes it
     */
    public record Prepared(QueryCommand command, Conversation conversation, Deadline deadline, long startedNanos,
                           Admission admission) {
    }

    /**
     * Reads what the answer needs from the stores and lets the request in under its caller's limits, so that their
     * failures and refusals surface before any answer starts.
     *
     * @throws io.cato.budget.LimitExceededException when a limit refuses the request
     */
    public Prepared prepare(QueryCommand command) {
        return prepare(command, Deadline.after(limits.deadline()));
    }

    public Prepared prepare(QueryCommand command, Deadline deadline) {
        long started = System.nanoTime();
        Conversation conversation = conversations.read(command);
        Admission admission = budgets.admit(command.caller(), estimatedTokens(command), deadline.remaining());
        return new Prepared(command, conversation, deadline, started, admission);
    }

    /** The request's tokens as token limits hold them until it finishes: its prompt and its longest answer. */
    private long estimatedTokens(QueryCommand command) {
        long history = command.history().stream().mapToLong(m -> TokenEstimator.estimateMessage(m.content())).sum();
        return Router.promptTokens(command) + history + command.maxTokens().orElse(limits.defaultMaxTokens());
    }

    /** @param onDelta receives the answer as it is produced; null for a whole answer at once */
    public Answer answer(QueryCommand command, Consumer<String> onDelta) {
        return answer(prepare(command), onDelta);
    }

    public Answer answer(Prepared prepared, Consumer<String> onDelta) {
        double cost = 0;
        try {
            Answer answer = answerAdmitted(prepared, onDelta);
            cost = answer.costUsd();
            return answer;
        } finally {
            prepared.admission().finish(cost);
        }
    }

    private Answer answerAdmitted(Prepared prepared, Consumer<String> onDelta) {
        QueryCommand command = prepared.command();
        CacheScope scope = SharedAnswers.scopeOf(command, router.pinnedTier(command.model()), prepared.conversation());
        FallbackChain.Served served;
        Answer.CacheOutcome outcome;
        Optional<Classification> classification;
        try (SharedAnswers.Found found = shared.find(command, scope, prepared.conversation(), prepared.deadline())) {
            if (found.hit().isPresent()) {
                return fromCache(prepared, found, onDelta);
            }
            Router.Route route = prepared.admission().downgradedTo().flatMap(tier -> router.downgradeTo(tier, command))
                    .orElseGet(() -> router.route(command, found.encoding()));
            stats.recordRoute(route.chosen(), route.reason());
            Optional<String> recalled = recall(command, found.encoding());
            served = serve(route, prepared, (tier, budget) -> prompts.requestFor(tier, command,
                    prepared.conversation(), recalled, budget), onDelta);
            shared.keep(found, command, served);
            outcome = found.outcome();
            classification = route.classification();
        }
        return finish(prepared, served, outcome, classification);
    }

    /**
     * Walks the route with each call metered against the caller's budgets. A budget that refuses a call either
     * refuses the request or, when its policy says so, sends it to its downgrade tier instead.
     */
    private FallbackChain.Served serve(Router.Route route, Prepared prepared,
                                       BiFunction<TierConfig, Duration, ModelRequest> requestFor,
                                       Consumer<String> onDelta) {
        Admission admission = prepared.admission();
        try {
            return chain.run(route, requestFor, prepared.deadline(), onDelta,
                    tier -> admission.meter(tier.config(), tier.client()));
        } catch (BudgetExceededException refused) {
            Router.Route downgraded = admission.downgradeAfter(refused).flatMap(tier -> router.downgradeTo(tier, prepared.command()))
                    .orElseThrow(() -> refused);
            stats.recordRoute(downgraded.chosen(), downgraded.reason());
            return chain.run(downgraded, requestFor, prepared.deadline(), onDelta,
                    tier -> admission.meter(tier.config(), tier.client()));
        }
    }

    private Optional<String> recall(QueryCommand command, Optional<EncodedQuery> encoding) {
        String domain = command.domain().orElse(DEFAULT_DOMAIN);
        return recall.flatMap(r -> r.recall(command.tenant(), domain, command.query(), encoding).asContext());
    }

    /** @param onDelta receives the cached answer as one delta when the caller streams */
    private Answer fromCache(Prepared prepared, SharedAnswers.Found found, Consumer<String> onDelta) {
        SemanticCache.Hit hit = found.hit().orElseThrow();
        if (onDelta != null) {
            onDelta.accept(hit.answer());
        }
        Answer.Recording recording = conversations.record(prepared.command(), hit.answer(), hit.model(),
                java.util.List.of(), false);
        long latency = millisSince(prepared.startedNanos());
        stats.recordAnswer(CACHE_TIER, latency, 0.0, false);
        return published(Answer.builder().text(hit.answer()).model(hit.model()).tier(CACHE_TIER)
                .reason("cache_hit_" + hit.tier()).cached(true).costUsd(0.0).usage(TokenUsage.NONE).latencyMs(latency)
                .degraded(false).recording(recording).cache(found.outcome()).build(), prepared.command().tenant());
    }

    private Answer finish(Prepared prepared, FallbackChain.Served served, Answer.CacheOutcome outcome,
                          Optional<Classification> classification) {
        Tier tier = served.tier();
        ModelReply reply = served.reply();
        boolean memory = tier.config().provider() == Provider.MEMORY;
        Answer.Recording recording = conversations.record(prepared.command(), reply.text(), reply.model(),
                prepared.command().options().exchangeToKeep(prepared.command().query(), reply), !memory);
        double cost = tier.config().prices().cost(reply.usage());
        boolean degraded = MemoryAnswerer.MODEL.equals(tier.config().modelId());
        long latency = millisSince(prepared.startedNanos());
        stats.recordAnswer(tier.name(), latency, cost, served.fallbackFrom().isPresent());
        return published(Answer.builder().text(reply.text()).model(reply.model()).tier(tier.name())
                .reason(served.reason()).fallbackFrom(served.fallbackFrom()).cached(false).costUsd(cost)
                .usage(reply.usage()).latencyMs(latency).degraded(degraded).recording(recording).cache(outcome)
                .classification(classification).output(Answer.Output.of(reply)).build(), prepared.command().tenant());
    }

    private Answer published(Answer answer, String tenant) {
        try {
            stats.metrics().answered(MetricsSink.AnswerMetrics.builder().tier(answer.tier()).reason(answer.reason())
                    .fallback(answer.fallbackFrom().isPresent()).degraded(answer.degraded())
                    .cacheStatus(answer.cache().status()).cacheTier(answer.cache().tier())
                    .latencyMs(answer.latencyMs()).costUsd(answer.costUsd()).inputTokens(answer.usage().inputTokens())
                    .outputTokens(answer.usage().outputTokens()).cachedInputTokens(answer.usage().cachedInputTokens())
                    .tenant(Optional.of(tenant)).build());
        } catch (RuntimeException e) {
            LOG.atWarn().log(() -> "could not publish metrics: " + e.getClass().getSimpleName());
        }
        return answer;
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    /** Assembles an {@link Orchestrator}; only the session store and the router are required. */
    public static final class Builder {
        private final SessionStore sessions;
        private final Router router;
        private ServiceStats stats = new ServiceStats();
        private Clock clock = Clock.systemUTC();
        private Limits limits = new Limits(50, 1024, 0.7, Duration.ofSeconds(30));
        private Optional<SemanticCache> cache = Optional.empty();
        private LongTermMemory memory = LongTermMemory.NONE;
        private Budgets budgets = Budgets.disabled();

        private Builder(SessionStore sessions, Router router) {
            this.sessions = Objects.requireNonNull(sessions, "sessions");
            this.router = Objects.requireNonNull(router, "router");
        }

        public Builder stats(ServiceStats value) {
            this.stats = value;
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        public Builder limits(Limits value) {
            this.limits = value;
            return this;
        }

        public Builder cache(Optional<SemanticCache> value) {
            this.cache = value;
            return this;
        }

        public Builder memory(LongTermMemory value) {
            this.memory = value;
            return this;
        }

        /** The caller's limits; without, no request is limited. */
        public Builder budgets(Budgets value) {
            this.budgets = Objects.requireNonNull(value, "budgets");
            return this;
        }

        public Orchestrator build() {
            return new Orchestrator(this);
        }
    }
}
