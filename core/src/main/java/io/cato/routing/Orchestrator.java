package io.cato.routing;

import io.cato.breaker.CircuitOpenException;
import io.cato.cache.CacheScope;
import io.cato.cache.EncodedQuery;
import io.cato.cache.SemanticCache;
import io.cato.memory.MemoryRecall;
import io.cato.model.ChatMessage;
import io.cato.model.MemoryAnswerer;
import io.cato.model.ModelCallException;
import io.cato.model.ModelFailure;
import io.cato.model.ModelReply;
import io.cato.model.ModelRequest;
import io.cato.model.Provider;
import io.cato.model.TierConfig;
import io.cato.session.ContextAssembler;
import io.cato.session.SessionStore;
import io.cato.session.TokenEstimator;
import io.cato.session.Turn;
import io.cato.session.TurnDraft;
import io.cato.status.MetricsSink;
import io.cato.status.ServiceStats;
import io.cato.verification.VerificationStarter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Answers a query: reads the session, walks the fallback chain until a tier answers, records
 * the turn. The one entry point both the Lambda function and the local server call.
 */
public final class Orchestrator {
    private static final Logger LOG = Logger.getLogger(Orchestrator.class.getName());

    /** Settings of the answer path. */
    public record Limits(int maxTurnsRead, int defaultMaxTokens, double defaultTemperature, Duration deadline) {
    }

    private final SessionStore sessions;
    private final Router router;
    private final ServiceStats stats;
    private final Clock clock;
    private final Limits limits;
    private final Optional<SemanticCache> cache;
    private final LongTermMemory memory;
    /** Questions being answered after a cache miss, by cache entry id; see {@link #answerOnce}. */
    private final ConcurrentHashMap<String, CompletableFuture<Void>> answering = new ConcurrentHashMap<>();

    /**
     * Long-term memory on the answer path: facts and episodes recalled into the context before a
     * model is called, and verification started after an answer is recorded.
     */
    public record LongTermMemory(Optional<MemoryRecall> recall, Optional<VerificationStarter> verification) {
        public static final LongTermMemory NONE = new LongTermMemory(Optional.empty(), Optional.empty());
    }

    public Orchestrator(SessionStore sessions, Tiers tiers, ServiceStats stats, Clock clock, Limits limits) {
        this(sessions, tiers, stats, clock, limits, Optional.empty());
    }

    public Orchestrator(SessionStore sessions, Tiers tiers, ServiceStats stats, Clock clock, Limits limits,
                        Optional<SemanticCache> cache) {
        this(sessions, Router.chainOrder(tiers), stats, clock, limits, cache, LongTermMemory.NONE);
    }

    public Orchestrator(SessionStore sessions, Tiers tiers, ServiceStats stats, Clock clock, Limits limits,
                        Optional<SemanticCache> cache, LongTermMemory memory) {
        this(sessions, Router.chainOrder(tiers), stats, clock, limits, cache, memory);
    }

    public Orchestrator(SessionStore sessions, Router router, ServiceStats stats, Clock clock, Limits limits,
                        Optional<SemanticCache> cache) {
        this(sessions, router, stats, clock, limits, cache, LongTermMemory.NONE);
    }

    public Orchestrator(SessionStore sessions, Router router, ServiceStats stats, Clock clock, Limits limits,
                        Optional<SemanticCache> cache, LongTermMemory memory) {
        this.memory = memory;
        this.sessions = sessions;
        this.router = router;
        this.stats = stats;
        this.clock = clock;
        this.limits = limits;
        this.cache = cache;
    }

    public Router router() {
        return router;
    }

    /** The domain a query without one belongs to, in cache scopes and metrics. */
    public static final String DEFAULT_DOMAIN = "general";

    public Optional<SemanticCache> cache() {
        return cache;
    }

    /** A query with its conversation loaded, ready to be answered. */
    public record Prepared(QueryCommand command, List<Turn> turns, long startedNanos) {
    }

    /** Reads what the answer needs from the stores, so their failures surface before any answer starts. */
    public Prepared prepare(QueryCommand command) {
        long started = System.nanoTime();
        List<Turn> turns = command.session().isPresent() && command.history().isEmpty()
                ? sessions.latest(command.session().get().storageKey(), limits.maxTurnsRead())
                : List.of();
        return new Prepared(command, turns, started);
    }

    /** @param onDelta receives the answer as it is produced; null for a whole answer at once */
    public Answer answer(QueryCommand command, Consumer<String> onDelta) {
        return answer(prepare(command), onDelta);
    }

    public Answer answer(Prepared prepared, Consumer<String> onDelta) {
        QueryCommand command = prepared.command();
        List<Turn> turns = prepared.turns();
        long started = prepared.startedNanos();
        Optional<String> pinned = router.pinnedTier(command.model());
        CacheScope scope = CacheScope.of(command.tenant(), command.domain().orElse(DEFAULT_DOMAIN),
                pinned.orElse(CacheScope.AUTO_MODEL), command.system().orElse(null));
        boolean hasTurns = !turns.isEmpty() || !command.history().isEmpty();
        String entryId = cache.map(c -> c.entryId(scope, command.query())).orElse(null);
        if (entryId != null && !hasTurns) {
            // Asked while another request answers the same question: its answer will be in the cache.
            awaitAnswering(entryId);
        }
        SemanticCache.Lookup lookup = cache.map(c -> c.lookup(scope, command.query(), hasTurns)).orElse(null);
        if (lookup instanceof SemanticCache.Hit hit) {
            return finishFromCache(command, hit, onDelta, started);
        }
        if (lookup instanceof SemanticCache.Miss miss && SemanticCache.NO_MATCH.equals(miss.reason())) {
            return answerOnce(prepared, onDelta, scope, miss, entryId, hasTurns);
        }
        return answerMiss(prepared, onDelta, scope, lookup);
    }

    /**
     * A question that missed the shared cache is answered by one model call at a time: a request asking the same
     * question in the same scope while the first is being answered waits for it, then finds its answer in the
     * cache. When the first one's answer was not stored (it failed, or only the memory tier answered), or the wait
     * reaches the deadline, the waiting request is answered on its own.
     */
    private Answer answerOnce(Prepared prepared, Consumer<String> onDelta, CacheScope scope, SemanticCache.Miss miss,
                              String key, boolean hasTurns) {
        QueryCommand command = prepared.command();
        SemanticCache shared = cache.orElseThrow();
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> first = answering.putIfAbsent(key, mine);
        if (first == null) {
            try {
                return answerMiss(prepared, onDelta, scope, miss);
            } finally {
                answering.remove(key, mine);
                mine.complete(null);
            }
        }
        awaitAnswering(key);
        SemanticCache.Lookup again = shared.lookup(scope, command.query(), hasTurns);
        if (again instanceof SemanticCache.Hit hit) {
            return finishFromCache(command, hit, onDelta, prepared.startedNanos());
        }
        return answerMiss(prepared, onDelta, scope, again);
    }

    /** Waits, up to the request deadline, while another request answers the question with this cache entry id. */
    private void awaitAnswering(String key) {
        CompletableFuture<Void> first = answering.get(key);
        if (first == null) {
            return;
        }
        try {
            first.get(limits.deadline().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Answered on its own.
        }
    }

    private Answer answerMiss(Prepared prepared, Consumer<String> onDelta, CacheScope scope,
                              SemanticCache.Lookup lookup) {
        QueryCommand command = prepared.command();
        List<Turn> turns = prepared.turns();
        long started = prepared.startedNanos();
        Answer.CacheOutcome outcome = switch (lookup) {
            case null -> Answer.CacheOutcome.OFF;
            case SemanticCache.Miss miss -> Answer.CacheOutcome.miss(miss.reason());
            case SemanticCache.Bypass bypass -> Answer.CacheOutcome.bypass(bypass.reason().code());
            case SemanticCache.Hit hit -> throw new IllegalStateException("hits are answered from the cache");
        };
        Optional<EncodedQuery> encoding = lookup instanceof SemanticCache.Miss miss ? miss.encoding() : Optional.empty();
        Router.Route route = router.route(command, encoding);
        stats.recordRoute(route.chosen(), route.reason());
        String domain = command.domain().orElse(DEFAULT_DOMAIN);
        Optional<String> recalled = memory.recall()
                .flatMap(r -> r.recall(command.tenant(), domain, command.query(), encoding).asContext());
        StreamGuard guard = new StreamGuard(onDelta);
        String reason = route.reason();
        int needsWindowAbove = 0;
        for (Tier tier : route.order()) {
            if (tier.config().contextWindow() <= needsWindowAbove && tier.config().provider() != Provider.MEMORY) {
                continue;
            }
            ModelRequest request = requestFor(tier.config(), command, turns, recalled);
            long tierStarted = System.nanoTime();
            ModelReply reply;
            try {
                reply = onDelta == null ? tier.client().complete(request) : tier.client().stream(request, guard);
            } catch (CircuitOpenException e) {
                stats.recordSkipped(tier.name());
                reason = "circuit_open";
                continue;
            } catch (ModelCallException e) {
                stats.recordCall(tier.name(), millisSince(tierStarted), true);
                LOG.warning(() -> "tier failed, trying the next: " + e.getMessage());
                if (guard.started) {
                    throw new StreamInterruptedException(tier.name(), e);
                }
                reason = fallbackReason(e.failure());
                if (e.failure() instanceof ModelFailure.ContextTooLong) {
                    needsWindowAbove = Math.max(needsWindowAbove, tier.config().contextWindow());
                }
                continue;
            } catch (RuntimeException e) {
                // A defect in one tier's client must not cost the caller the answer the next tier can give.
                stats.recordCall(tier.name(), millisSince(tierStarted), true);
                LOG.warning(() -> "tier failed unexpectedly, trying the next: " + e.getClass().getName());
                if (guard.started) {
                    throw new StreamInterruptedException(tier.name(), e);
                }
                reason = fallbackReason(new ModelFailure.Unavailable(e.getClass().getSimpleName()));
                continue;
            }
            // Outside the tier's try: the tier has answered, so a store failing from here on (the turn's write) is
            // the store's, reported as such, and never makes the next tier answer the same question again.
            stats.recordCall(tier.name(), millisSince(tierStarted), false);
            if (lookup instanceof SemanticCache.Miss && tier.config().provider() != Provider.MEMORY
                    && !reply.text().isBlank()) {
                cache.get().store(scope, command.query(), encoding, reply.text(), reply.model(), tier.name());
            }
            Optional<String> fallbackFrom = Optional.of(route.chosen()).filter(name -> !name.equals(tier.name()));
            return finish(command, tier, reply, fallbackFrom, reason, started, outcome, route.classification());
        }
        throw new IllegalStateException("the memory tier closes every chain and does not fail");
    }

    /**
     * Why the next tier is tried, by the failure type: a prompt too long for one window moves on to larger windows
     * only; throttling, timeouts, outages and refusals move on along the chain.
     */
    static String fallbackReason(ModelFailure failure) {
        return switch (failure) {
            case ModelFailure.Throttled t -> "fallback_throttled";
            case ModelFailure.TimedOut t -> "fallback_timed_out";
            case ModelFailure.Unavailable u -> "fallback_unavailable";
            case ModelFailure.ContextTooLong c -> "fallback_context_too_long";
            case ModelFailure.Refused r -> "fallback_refused";
        };
    }

    private ModelRequest requestFor(TierConfig tier, QueryCommand command, List<Turn> turns, Optional<String> recalled) {
        Optional<String> system = recalled.isEmpty() ? command.system()
                : Optional.of(command.system().map(s -> s + "\n\n").orElse("") + recalled.get());
        int queryTokens = TokenEstimator.estimateMessage(command.query())
                + system.map(TokenEstimator::estimateMessage).orElse(0);
        int budget = Math.max(0, tier.historyBudget() - queryTokens);
        List<ChatMessage> messages = new ArrayList<>(command.history().isEmpty()
                ? ContextAssembler.fit(turns, budget)
                : fitClientHistory(command.history(), budget));
        messages.add(ChatMessage.user(command.query()));
        int maxTokens = command.maxTokens().orElse(limits.defaultMaxTokens());
        return new ModelRequest(system.orElse(null), messages, maxTokens,
                command.temperature().orElse(limits.defaultTemperature()), limits.deadline());
    }

    private static List<ChatMessage> fitClientHistory(List<ChatMessage> history, int budget) {
        List<ChatMessage> kept = new ArrayList<>();
        int used = 0;
        for (int i = history.size() - 1; i >= 0; i--) {
            used += TokenEstimator.estimateMessage(history.get(i).content());
            if (used > budget) {
                break;
            }
            kept.addFirst(history.get(i));
        }
        return kept;
    }

    /** @param onDelta receives the cached answer as one delta when the caller streams */
    private Answer finishFromCache(QueryCommand command, SemanticCache.Hit hit, Consumer<String> onDelta, long started) {
        if (onDelta != null) {
            onDelta.accept(hit.answer());
        }
        long turn = command.session()
                .map(key -> sessions.append(key.storageKey(),
                        new TurnDraft(command.query(), hit.answer(), hit.model(), clock.instant(),
                                command.domain().orElse(DEFAULT_DOMAIN))).seq())
                .orElse(0L);
        long latency = millisSince(started);
        stats.recordAnswer(CACHE_TIER, latency, 0.0, false);
        Answer.CacheOutcome outcome = new Answer.CacheOutcome("hit", Optional.empty(), Optional.of(hit.tier()),
                Optional.of(hit.entryId()), Optional.of(hit.age()));
        return published(new Answer(hit.answer(), hit.model(), CACHE_TIER, "cache_hit_" + hit.tier(), Optional.empty(),
                true, 0.0, io.cato.model.TokenUsage.NONE, latency, false, turn, outcome));
    }

    /** The tier name cached answers report. */
    public static final String CACHE_TIER = "cache";

    private Answer finish(QueryCommand command, Tier tier, ModelReply reply, Optional<String> fallbackFrom, String reason,
                          long started, Answer.CacheOutcome outcome, Optional<Classification> classification) {
        long turn = command.session()
                .map(key -> sessions.append(key.storageKey(),
                        new TurnDraft(command.query(), reply.text(), reply.model(), clock.instant(),
                                command.domain().orElse(DEFAULT_DOMAIN))).seq())
                .orElse(0L);
        if (turn > 0 && tier.config().provider() != Provider.MEMORY) {
            startVerification(command, turn, reply.text());
        }
        double cost = tier.config().prices().cost(reply.usage());
        boolean degraded = MemoryAnswerer.MODEL.equals(tier.config().modelId());
        long latency = millisSince(started);
        stats.recordAnswer(tier.name(), latency, cost, fallbackFrom.isPresent());
        return published(new Answer(reply.text(), reply.model(), tier.name(), reason, fallbackFrom, false, cost,
                reply.usage(), latency, degraded, turn, outcome, classification));
    }

    private Answer published(Answer answer) {
        try {
            stats.metrics().answered(new MetricsSink.AnswerMetrics(answer.tier(), answer.reason(),
                    answer.fallbackFrom().isPresent(), answer.degraded(), answer.cache().status(), answer.cache().tier(),
                    answer.latencyMs(), answer.costUsd(), answer.usage().inputTokens(), answer.usage().outputTokens(),
                    answer.usage().cachedInputTokens()));
        } catch (RuntimeException e) {
            LOG.warning(() -> "could not publish metrics: " + e.getClass().getSimpleName());
        }
        return answer;
    }

    private void startVerification(QueryCommand command, long turn, String answer) {
        memory.verification().ifPresent(starter -> {
            try {
                starter.start(new VerificationStarter.Request(command.session().get().storageKey(), turn,
                        command.tenant(), command.domain().orElse(DEFAULT_DOMAIN), command.query(), answer));
            } catch (RuntimeException e) {
                LOG.warning(() -> "verification not started: " + e.getClass().getSimpleName());
            }
        });
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    /** Passes deltas on and remembers whether any reached the caller. */
    private static final class StreamGuard implements Consumer<String> {
        private final Consumer<String> target;
        private boolean started;

        StreamGuard(Consumer<String> target) {
            this.target = target;
        }

        @Override
        public void accept(String delta) {
            started = true;
            target.accept(delta);
        }
    }
}
