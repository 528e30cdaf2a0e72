package io.cato.budget;

import io.cato.budget.BudgetStore.Hold;
import io.cato.budget.BudgetStore.MeterKey;
import io.cato.budget.BudgetStore.Reservation;
import io.cato.model.ModelClient;
import io.cato.model.ModelReply;
import io.cato.model.ModelRequest;
import io.cato.model.TierConfig;
import io.cato.model.TokenUsage;
import io.cato.model.TokenEstimator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One tier's calls for one request, under the request's dollar budgets: reserve the call's estimated cost on every
 * budget (all or none), call, then settle the cost the provider reported (a streamed answer's final usage, prompt
 * cache reads and writes at their own prices), or release the reservation when the call failed before answering.
 * A stream that broke off after part of its answer went out is settled at an estimate of what it used.
 */
final class MeteredClient implements ModelClient {
    private final Admission admission;
    private final TierConfig tier;
    private final ModelClient client;

    MeteredClient(Admission admission, TierConfig tier, ModelClient client) {
        this.admission = admission;
        this.tier = tier;
        this.client = client;
    }

    @Override
    public ModelReply complete(ModelRequest request) {
        Charge charge = reserve(request);
        ModelReply reply;
        try {
            reply = client.complete(request);
        } catch (RuntimeException e) {
            charge.release();
            throw e;
        }
        charge.settle(reply.usage());
        return reply;
    }

    @Override
    public ModelReply stream(ModelRequest request, Consumer<String> onDelta) {
        Charge charge = reserve(request);
        StringBuilder streamed = new StringBuilder();
        ModelReply reply;
        try {
            reply = client.stream(request, delta -> {
                streamed.append(delta);
                onDelta.accept(delta);
            });
        } catch (RuntimeException e) {
            if (streamed.isEmpty()) {
                charge.release();
            } else {
                charge.settle(new TokenUsage(Pricing.promptTokens(request), TokenEstimator.estimate(streamed.toString()), 0));
            }
            throw e;
        }
        charge.settle(reply.usage());
        return reply;
    }

    /** Reserves the call's estimated cost on each dollar budget; a refusal gives back those already reserved. */
    private Charge reserve(ModelRequest request) {
        Instant now = admission.meters().now();
        List<Admission.DollarLimit> limits = admission.dollarLimits();
        if (limits.isEmpty() || tier.prices().free()) {
            return new Charge(List.of(), List.of(), now);
        }
        if (admission.downgradedTo().filter(tier.name()::equals).isPresent()) {
            return new Charge(List.of(), limits.stream().map(d -> Meters.key(d.scope(), d.meter(), now)).toList(), now);
        }
        long amount = Pricing.estimate(tier, request, admission.promptMargin());
        List<Held> held = new ArrayList<>();
        for (Admission.DollarLimit d : limits) {
            MeterKey key = Meters.key(d.scope(), d.meter(), now);
            Hold hold = Meters.newHold(amount, admission.holdExpiry());
            Reservation r = admission.meters().take(key, amount, d.limit(), Optional.of(hold), now);
            if (!r.granted()) {
                held.forEach(h -> admission.meters().release(h.key(), h.hold()));
                throw admission.refused(d, now);
            }
            held.add(new Held(key, hold));
        }
        return new Charge(held, List.of(), now);
    }

    private record Held(MeterKey key, Hold hold) {
    }

    /**
     * What one call reserved: holds to settle, or (for a downgraded request) budgets it adds its spend to unheld.
     */
    private final class Charge {
        private final List<Held> held;
        private final List<MeterKey> unheld;
        private final Instant at;

        Charge(List<Held> held, List<MeterKey> unheld, Instant at) {
            this.held = held;
            this.unheld = unheld;
            this.at = at;
        }

        void settle(TokenUsage usage) {
            admission.usedTokens(usage.totalTokens());
            long actual = Pricing.nanos(tier.prices(), usage);
            held.forEach(h -> admission.meters().settle(h.key(), h.hold(), actual, at));
            if (actual != 0) {
                unheld.forEach(key -> admission.meters().add(key, actual, at));
            }
        }

        void release() {
            held.forEach(h -> admission.meters().release(h.key(), h.hold()));
        }
    }
}
