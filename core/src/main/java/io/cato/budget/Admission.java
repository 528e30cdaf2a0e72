package io.cato.budget;

import io.cato.budget.BudgetStore.Hold;
import io.cato.budget.BudgetStore.MeterKey;
import io.cato.budget.BudgetStore.MeterState;
import io.cato.budget.BudgetStore.Reservation;
import io.cato.model.ModelClient;
import io.cato.model.TierConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * One request let in under its caller's limits. Letting it in counted it against the request limits, held its
 * estimated tokens against the token limits and found room in its dollar budgets; each model call it makes then
 * reserves its own estimated cost ({@link #meter}), and {@link #finish} settles the tokens it used. A request whose
 * dollar budget was already spent is let in only when its policy is to downgrade: then it is answered by the
 * downgrade tier, whose calls are metered but not refused.
 */
public final class Admission {
    private final Meters meters;
    private final Caller caller;
    private final List<LimitBook.Applied> applied;
    private final Instant holdExpiry;
    private final double promptMargin;
    private final BudgetStats stats;
    private final List<Taken> taken = new ArrayList<>();
    private final LongAdder tokensUsed = new LongAdder();
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile Optional<String> downgradedTo = Optional.empty();
    private RateLimitStatus status = RateLimitStatus.NONE;

    /** A counter this request moved, to be settled when it finishes or undone when it is refused. */
    private record Taken(MeterKey key, Optional<Hold> hold, long amount, Instant at) {
    }

    /** One dollar budget every model call of the request reserves against. */
    record DollarLimit(Scope scope, Meter meter, long limit, OverBudget policy) {
    }

    Admission(Meters meters, Caller caller, List<LimitBook.Applied> applied, Instant holdExpiry, double promptMargin,
              BudgetStats stats) {
        this.meters = meters;
        this.caller = caller;
        this.applied = List.copyOf(applied);
        this.holdExpiry = holdExpiry;
        this.promptMargin = promptMargin;
        this.stats = stats;
    }

    /** A request no limit applies to: nothing is counted, only its spend is shown on the status endpoint. */
    static Admission unmetered(Caller caller, BudgetStats stats) {
        return new Admission(null, caller, List.of(), Instant.MAX, 1.0, stats);
    }

    public Caller caller() {
        return caller;
    }

    /** Where the caller stands against its request and token limits, for the response headers. */
    public RateLimitStatus status() {
        return status;
    }

    /** The tier that answers instead, when the caller's dollar budget is spent and its policy is to downgrade. */
    public Optional<String> downgradedTo() {
        return downgradedTo;
    }

    /**
     * A client for one tier whose calls reserve their estimated cost against the caller's dollar budgets first and
     * settle what they actually cost after.
     */
    public ModelClient meter(TierConfig tier, ModelClient client) {
        return meters == null ? client : new MeteredClient(this, tier, client);
    }

    /**
     * Switches a request refused by a dollar budget to that budget's downgrade tier, if its policy says so.
     *
     * @return the tier to answer with instead; empty when the refusal stands
     */
    public Optional<String> downgradeAfter(BudgetExceededException refused) {
        Optional<String> tier = dollarLimits().stream()
                .filter(d -> d.scope().equals(refused.scope()) && d.meter() == refused.meter())
                .map(DollarLimit::policy).filter(OverBudget.Downgrade.class::isInstance)
                .map(p -> ((OverBudget.Downgrade) p).tier()).findFirst();
        if (tier.isPresent()) {
            downgradedTo = tier;
            stats.downgraded(caller.tenant());
        } else {
            stats.refused(caller.tenant(), refused);
        }
        return tier;
    }

    /**
     * Ends the request: settles the tokens its model calls used against the token limits it was let in under, and
     * shows its cost on the status endpoint. Called once, whether the request was answered or failed.
     */
    public void finish(double costUsd) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        stats.answered(caller.tenant(), costUsd);
        if (meters == null) {
            return;
        }
        long tokens = tokensUsed.sum();
        for (Taken t : taken) {
            t.hold().ifPresent(hold -> meters.settle(t.key(), hold, tokens, t.at()));
        }
    }

    void admit(long estimatedTokens) {
        Instant now = meters.now();
        try {
            countRequest(now);
            holdTokens(estimatedTokens, now);
            checkDollars(now);
        } catch (LimitExceededException e) {
            undo();
            if (e instanceof RateLimitedException) {
                stats.refused(caller.tenant(), e);
            }
            throw e;
        }
    }

    private void countRequest(Instant now) {
        for (LimitBook.Applied a : applied) {
            if (a.limits().requestsPerMinute().isEmpty()) {
                continue;
            }
            long limit = a.limits().requestsPerMinute().getAsLong();
            MeterKey key = Meters.key(a.scope(), Meter.REQUESTS_PER_MINUTE, now);
            Reservation r = meters.take(key, 1, limit, Optional.empty(), now);
            var gauge = new RateLimitStatus.Gauge(limit, limit - r.committed(), resetIn(Meter.REQUESTS_PER_MINUTE, now));
            status = status.withRequests(gauge);
            if (!r.granted()) {
                throw new RateLimitedException(a.scope(), Meter.REQUESTS_PER_MINUTE, limit, gauge.resetIn(), status);
            }
            taken.add(new Taken(key, Optional.empty(), 1, now));
        }
    }

    private void holdTokens(long estimate, Instant now) {
        for (LimitBook.Applied a : applied) {
            if (a.limits().tokensPerMinute().isEmpty()) {
                continue;
            }
            long limit = a.limits().tokensPerMinute().getAsLong();
            MeterKey key = Meters.key(a.scope(), Meter.TOKENS_PER_MINUTE, now);
            Hold hold = Meters.newHold(estimate, holdExpiry);
            Reservation r = meters.take(key, estimate, limit, Optional.of(hold), now);
            var gauge = new RateLimitStatus.Gauge(limit, limit - r.committed(), resetIn(Meter.TOKENS_PER_MINUTE, now));
            status = status.withTokens(gauge);
            if (!r.granted()) {
                throw new RateLimitedException(a.scope(), Meter.TOKENS_PER_MINUTE, limit, gauge.resetIn(), status);
            }
            taken.add(new Taken(key, Optional.of(hold), estimate, now));
        }
    }

    /** Reads the dollar budgets: one with nothing left refuses the request now, before any answer starts. */
    private void checkDollars(Instant now) {
        List<DollarLimit> limits = dollarLimits();
        if (limits.isEmpty()) {
            return;
        }
        Map<MeterKey, MeterState> states = meters.store().read(limits.stream()
                .map(d -> Meters.key(d.scope(), d.meter(), now)).toList());
        for (DollarLimit d : limits) {
            MeterState state = states.get(Meters.key(d.scope(), d.meter(), now));
            if (state.committedAt(now) < d.limit()) {
                continue;
            }
            if (downgradeAfter(refused(d, now)).isEmpty()) {
                throw refused(d, now);
            }
        }
    }

    /** Gives back what letting the request in took, when a later limit refused it. */
    private void undo() {
        for (Taken t : taken) {
            t.hold().ifPresentOrElse(hold -> meters.release(t.key(), hold), () -> meters.add(t.key(), -t.amount(), t.at()));
        }
        taken.clear();
    }

    /** The caller's dollar budgets; a key's or user's own policy, else its tenant's, says what happens when spent. */
    List<DollarLimit> dollarLimits() {
        Optional<OverBudget> tenantPolicy = applied.stream().filter(a -> a.scope().kind() == Scope.Kind.TENANT)
                .findFirst().flatMap(a -> a.limits().overBudget());
        List<DollarLimit> out = new ArrayList<>();
        for (LimitBook.Applied a : applied) {
            OverBudget policy = a.limits().overBudget().or(() -> tenantPolicy).orElse(OverBudget.REFUSE);
            for (Meter meter : List.of(Meter.USD_PER_DAY, Meter.USD_PER_MONTH)) {
                a.limits().limit(meter).ifPresent(limit -> out.add(new DollarLimit(a.scope(), meter, limit, policy)));
            }
        }
        return out;
    }

    /** The refusal of a dollar budget with nothing left for the request. */
    BudgetExceededException refused(DollarLimit d, Instant now) {
        return new BudgetExceededException(d.scope(), d.meter(), d.limit(), resetIn(d.meter(), now), status);
    }

    double promptMargin() {
        return promptMargin;
    }

    Meters meters() {
        return meters;
    }

    Instant holdExpiry() {
        return holdExpiry;
    }

    void usedTokens(long tokens) {
        tokensUsed.add(tokens);
    }

    private static java.time.Duration resetIn(Meter meter, Instant now) {
        return meter.window(now).resetIn(now);
    }
}
