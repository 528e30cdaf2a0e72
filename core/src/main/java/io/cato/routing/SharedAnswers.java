package io.cato.routing;

import io.cato.cache.CacheScope;
import io.cato.cache.SemanticCache;
import io.cato.embedding.EncodedQuery;
import io.cato.model.Deadline;
import io.cato.model.FinishReason;
import io.cato.model.Provider;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The answer path's side of the semantic cache: which scope a question is asked in, whether another request is
 * already answering it, and which answers may be kept for others.
 *
 * <p>A question's scope includes its conversation ({@link Conversation#digest()}): an answer given after earlier
 * turns is only ever served after the very same turns, so a follow-up is a miss by default, whatever its wording.
 *
 * <p>A question that missed is answered by one model call at a time per scope: requests asking it meanwhile wait
 * (for at most half of their remaining time, so they can still be answered on their own), then find its answer in
 * the cache.
 */
public final class SharedAnswers {
    private final Optional<SemanticCache> cache;
    private final ConcurrentHashMap<String, CompletableFuture<Void>> answering = new ConcurrentHashMap<>();

    public SharedAnswers(Optional<SemanticCache> cache) {
        this.cache = cache;
    }

    public Optional<SemanticCache> cache() {
        return cache;
    }

    /**
     * What the cache holds for one question. While open, a request that is first to miss a question holds the right
     * to answer it; {@link #close()} hands it on.
     *
     * @param lookup what the cache found; empty when there is no cache
     */
    public record Found(Optional<SemanticCache.Lookup> lookup, CacheScope scope, Optional<Runnable> release,
                        Optional<String> unshared) implements AutoCloseable {

        Found(Optional<SemanticCache.Lookup> lookup, CacheScope scope, Optional<Runnable> release) {
            this(lookup, scope, release, Optional.empty());
        }

        public Optional<SemanticCache.Hit> hit() {
            return lookup.filter(SemanticCache.Hit.class::isInstance).map(SemanticCache.Hit.class::cast);
        }

        public Optional<EncodedQuery> encoding() {
            return lookup.filter(SemanticCache.Miss.class::isInstance).map(SemanticCache.Miss.class::cast)
                    .flatMap(SemanticCache.Miss::encoding);
        }

        /** How the answer's response describes the cache's part. */
        public Answer.CacheOutcome outcome() {
            return switch (lookup.orElse(null)) {
                case null -> unshared.map(Answer.CacheOutcome::bypass).orElse(Answer.CacheOutcome.OFF);
                case SemanticCache.Miss miss -> Answer.CacheOutcome.miss(miss.reason());
                case SemanticCache.Bypass bypass -> Answer.CacheOutcome.bypass(bypass.reason().code());
                case SemanticCache.Hit hit -> new Answer.CacheOutcome("hit", Optional.empty(), Optional.of(hit.tier()),
                        Optional.of(hit.entryId()), Optional.of(hit.age()));
            };
        }

        @Override
        public void close() {
            release.ifPresent(Runnable::run);
        }
    }

    /**
     * The scope a question is asked in: its tenant, domain, requested model, system prompt with the options that
     * change the answer (a response format, stop sequences), and conversation.
     */
    public static CacheScope scopeOf(QueryCommand command, Optional<String> pinnedTier, Conversation conversation) {
        return CacheScope.of(command.tenant(), command.domain().orElse(Orchestrator.DEFAULT_DOMAIN),
                pinnedTier.orElse(CacheScope.AUTO_MODEL), command.cacheScopeSystem(), conversation.digest());
    }

    /** What the cache holds for the question; nothing is looked up for an answer that may not be shared (tools). */
    public Found find(QueryCommand command, CacheScope scope, Conversation conversation, Deadline deadline) {
        if (cache.isEmpty()) {
            return new Found(Optional.empty(), scope, Optional.empty());
        }
        if (!command.mayShareAnswer()) {
            return new Found(Optional.empty(), scope, Optional.empty(), command.options().unsharedReason());
        }
        SemanticCache shared = cache.get();
        String entryId = shared.entryId(scope, command.query());
        awaitAnswering(entryId, deadline);
        SemanticCache.Lookup lookup = shared.lookup(scope, command.query(), conversation.hasEarlierTurns());
        if (lookup instanceof SemanticCache.Miss miss && SemanticCache.NO_MATCH.equals(miss.reason())) {
            CompletableFuture<Void> mine = new CompletableFuture<>();
            if (answering.putIfAbsent(entryId, mine) == null) {
                return new Found(Optional.of(lookup), scope, Optional.of(() -> {
                    answering.remove(entryId, mine);
                    mine.complete(null);
                }));
            }
            awaitAnswering(entryId, deadline);
            lookup = shared.lookup(scope, command.query(), conversation.hasEarlierTurns());
        }
        return new Found(Optional.of(lookup), scope, Optional.empty());
    }

    /**
     * Keeps a model's answer for later askers in the same scope. Only a whole answer a model gave after a full lookup
     * is kept: never one the memory tier stood in for, one cut short by its token limit (which another asker, with
     * another limit or none, must not be served), one that asks for tools, or an empty one.
     */
    public void keep(Found found, QueryCommand command, FallbackChain.Served served) {
        if (!(found.lookup().orElse(null) instanceof SemanticCache.Miss)) {
            return;
        }
        if (served.tier().config().provider() == Provider.MEMORY || served.reply().text().isBlank()
                || served.reply().finishReason() != FinishReason.STOP) {
            return;
        }
        cache.get().store(found.scope(), command.query(), found.encoding(), served.reply().text(),
                served.reply().model(), served.tier().name());
    }

    private void awaitAnswering(String entryId, Deadline deadline) {
        CompletableFuture<Void> first = answering.get(entryId);
        if (first == null) {
            return;
        }
        try {
            first.get(deadline.remaining().toNanos() / 2, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Answered on its own.
        }
    }
}
