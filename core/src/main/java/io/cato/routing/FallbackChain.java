package io.cato.routing;

import io.cato.breaker.CircuitOpenException;
import io.cato.budget.LimitExceededException;
import io.cato.model.CallerGoneException;
import io.cato.model.Deadline;
import io.cato.model.ModelCallException;
import io.cato.model.ModelClient;
import io.cato.model.ModelFailure;
import io.cato.model.ModelReply;
import io.cato.model.ModelRequest;
import io.cato.model.Provider;
import io.cato.model.StreamSink;
import io.cato.model.ToolCallDelta;
import io.cato.model.TierConfig;
import io.cato.status.ServiceStats;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Walks a route's tiers until one answers. Each tier is given the time left before the request's deadline minus
 * the reserve kept for the memory tier, which closes every chain and answers locally: so a request whose tiers all
 * hang is still answered, by the memory tier, before its deadline. Failures are chosen on by type: a prompt too long
 * for one window moves on to larger windows only; throttling, timeouts, outages and refusals move on along the chain.
 * Nothing after a tier's answer (recording, caching) happens in here, so it can never count against the tier.
 */
public final class FallbackChain {
    private static final Logger LOG = LoggerFactory.getLogger(FallbackChain.class);
    /** Below this, a remote tier is not called at all: the time left would not buy an answer. */
    static final Duration MIN_CALL_BUDGET = Duration.ofMillis(50);

    /** The reason given when the deadline left no time for any further remote tier. */
    public static final String DEADLINE = "fallback_deadline";

    private final ServiceStats stats;
    private final Duration memoryReserve;

    public FallbackChain(ServiceStats stats, Duration memoryReserve) {
        this.stats = stats;
        this.memoryReserve = memoryReserve;
    }

    /**
     * A tier's answer.
     *
     * @param fallbackFrom the tier the route chose first, when another one answered
     * @param reason why the answering tier was the one to answer
     */
    public record Served(Tier tier, ModelReply reply, Optional<String> fallbackFrom, String reason) {
    }

    /**
     * @param requestFor builds the request for a tier, given the time its call may take in all
     * @param onDelta receives a streamed answer as it comes; null for a whole answer
     * @throws StreamInterruptedException when a tier fails after part of its answer reached the caller
     * @throws CallerGoneException when the caller of a streamed answer went away
     */
    public Served run(Router.Route route, BiFunction<TierConfig, Duration, ModelRequest> requestFor, Deadline deadline,
                      Consumer<String> onDelta) {
        return run(route, requestFor, deadline, onDelta, Tier::client);
    }

    /**
     * @param clients the client each tier is called through (one metering the call against the caller's budgets)
     * @throws LimitExceededException when a budget refuses a tier's call: no later tier is tried
     */
    public Served run(Router.Route route, BiFunction<TierConfig, Duration, ModelRequest> requestFor, Deadline deadline,
                      Consumer<String> onDelta, Function<Tier, ModelClient> clients) {
        StreamGuard guard = onDelta == null ? null : new StreamGuard(onDelta);
        String reason = route.reason();
        int needsWindowAbove = 0;
        Deadline forRemoteTiers = deadline.minus(memoryReserve);
        for (Tier tier : route.order()) {
            boolean memory = tier.config().provider() == Provider.MEMORY;
            if (!memory && tier.config().contextWindow() <= needsWindowAbove) {
                continue;
            }
            Duration budget = memory ? deadline.remaining() : forRemoteTiers.remaining();
            if (!memory && budget.compareTo(MIN_CALL_BUDGET) < 0) {
                stats.recordSkipped(tier.name());
                reason = DEADLINE;
                continue;
            }
            ModelRequest request = requestFor.apply(tier.config(), budget);
            long started = System.nanoTime();
            try {
                ModelClient client = clients.apply(tier);
                ModelReply reply = guard == null ? client.complete(request) : client.stream(request, guard);
                stats.recordCall(tier.name(), millisSince(started), false);
                Optional<String> fallbackFrom = Optional.of(route.chosen()).filter(name -> !name.equals(tier.name()));
                return new Served(tier, reply, fallbackFrom, reason);
            } catch (CallerGoneException | LimitExceededException e) {
                throw e;
            } catch (CircuitOpenException e) {
                stats.recordSkipped(tier.name());
                reason = "circuit_open";
            } catch (ModelCallException e) {
                stats.recordCall(tier.name(), millisSince(started), true);
                LOG.atWarn().log(() -> "tier failed, trying the next: " + e.getMessage());
                interruptedIfStreamed(guard, tier, e);
                reason = fallbackReason(e.failure());
                if (e.failure() instanceof ModelFailure.ContextTooLong) {
                    needsWindowAbove = Math.max(needsWindowAbove, tier.config().contextWindow());
                }
            } catch (RuntimeException e) {
                // A defect in one tier's client must not cost the caller the answer the next tier can give.
                stats.recordCall(tier.name(), millisSince(started), true);
                LOG.atWarn().log(() -> "tier failed unexpectedly, trying the next: " + e.getClass().getName());
                interruptedIfStreamed(guard, tier, e);
                reason = fallbackReason(new ModelFailure.Unavailable(e.getClass().getSimpleName()));
            }
        }
        // Only a chain without the memory tier (a request no capable tier is left for) can run out.
        throw new CapableTiersFailedException(reason);
    }

    private static void interruptedIfStreamed(StreamGuard guard, Tier tier, RuntimeException failure) {
        if (guard != null && guard.started) {
            throw new StreamInterruptedException(tier.name(), failure);
        }
    }

    /** Why the next tier is tried, by the failure type. */
    static String fallbackReason(ModelFailure failure) {
        return switch (failure) {
            case ModelFailure.Throttled t -> "fallback_throttled";
            case ModelFailure.TimedOut t -> "fallback_timed_out";
            case ModelFailure.Unavailable u -> "fallback_unavailable";
            case ModelFailure.ContextTooLong c -> "fallback_context_too_long";
            case ModelFailure.Refused r -> "fallback_refused";
        };
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    /** Passes deltas and tool-call pieces on and remembers whether any reached the caller. */
    private static final class StreamGuard implements StreamSink {
        private final Consumer<String> target;
        private volatile boolean started;

        StreamGuard(Consumer<String> target) {
            this.target = target;
        }

        @Override
        public void accept(String delta) {
            started = true;
            target.accept(delta);
        }

        @Override
        public void toolCall(ToolCallDelta delta) {
            started = true;
            StreamSink.toolCall(target, delta);
        }
    }
}
