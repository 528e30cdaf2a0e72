package io.cato.breaker;

import io.cato.model.ModelCallException;
import io.cato.model.ModelClient;
import io.cato.model.ModelReply;
import io.cato.model.ModelRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A tier's client behind its circuit breaker: refused calls fail fast with
 * {@link CircuitOpenException}, so the fallback chain moves on without reaching the provider;
 * every call that is made is timed and its outcome recorded.
 */
public final class BreakerGuardedModelClient implements ModelClient {
    private final String tier;
    private final ModelClient delegate;
    private final CircuitBreakers breakers;
    private final Clock clock;

    public BreakerGuardedModelClient(String tier, ModelClient delegate, CircuitBreakers breakers) {
        this.tier = tier;
        this.delegate = delegate;
        this.breakers = breakers;
        this.clock = breakers.clock();
    }

    @Override
    public ModelReply complete(ModelRequest request) {
        return guarded(() -> delegate.complete(request));
    }

    @Override
    public ModelReply stream(ModelRequest request, Consumer<String> onDelta) {
        return guarded(() -> delegate.stream(request, onDelta));
    }

    private ModelReply guarded(Supplier<ModelReply> call) {
        CircuitBreakers.Permit permit = breakers.acquire(tier);
        Instant started = clock.instant();
        ModelReply reply;
        try {
            reply = call.get();
        } catch (ModelCallException e) {
            breakers.onFailure(permit, e.failure());
            throw e;
        }
        // Any other exception is not the tier's doing (e.g. the streaming caller went away): it is
        // not counted, and a probe that ends this way frees up when its lease runs out.
        breakers.onSuccess(permit, Duration.between(started, clock.instant()));
        return reply;
    }
}
