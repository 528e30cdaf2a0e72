package io.cato.budget;

import io.cato.budget.BudgetStore.MeterKey;
import io.cato.budget.BudgetStore.MeterState;
import io.cato.status.MetricsSink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Limits per tenant, per API key and per end user, shared by every instance through a {@link BudgetStore}:
 * requests and tokens per minute, dollars per day and per month.
 *
 * <p>Guarantees, and their bounds:
 * <ul>
 * <li>Every counter lives in the store and is moved by conditional writes, so a limit holds across all instances at
 * once; no instance keeps a share of it locally.
 * <li>A model call reserves its estimated cost before it starts ({@code spent + held + estimate <= limit}) and
 * settles its reported cost after. Spend passes a dollar limit only by what calls under way cost beyond their
 * estimates (a prompt under-estimated by more than the prompt margin), or by calls a downgrade policy lets through.
 * <li>A reservation whose caller died is given back by the next refused reservation on its window once it has
 * expired: at the latest its request's deadline plus {@link BudgetSettings#holdGrace()}, rounded up to the next ten
 * seconds, after it was made.
 * <li>Limits an admin sets reach every instance within {@link BudgetSettings#limitsRefresh()}.
 * </ul>
 */
public final class Budgets {
    private final BudgetSettings settings;
    private final Meters meters;
    private final LimitBook book;
    private final BudgetStats stats;

    public Budgets(BudgetSettings settings, BudgetStore store, Clock clock, MetricsSink metrics) {
        this.settings = settings;
        this.meters = new Meters(store, clock);
        this.book = new LimitBook(settings, store, clock);
        this.stats = new BudgetStats(metrics);
    }

    /** No limits: every request is let in without a store call; spend per tenant is still shown. */
    public static Budgets disabled() {
        return new Budgets(BudgetSettings.DISABLED, new InMemoryBudgetStore(), Clock.systemUTC(), MetricsSink.NONE);
    }

    public boolean enabled() {
        return settings.enabled();
    }

    public BudgetSettings settings() {
        return settings;
    }

    public BudgetStats stats() {
        return stats;
    }

    /**
     * Lets a request in under its caller's limits, or refuses it.
     *
     * @param estimatedTokens the request's prompt and longest answer, held against token limits until it finishes
     * @param deadline how long the request may take; its holds expire that long (plus the grace) from now
     * @throws RateLimitedException when a request or token limit has no room for it
     * @throws BudgetExceededException when a dollar budget is spent and its policy is to refuse
     */
    public Admission admit(Caller caller, long estimatedTokens, Duration deadline) {
        if (!settings.enabled()) {
            return Admission.unmetered(caller, stats);
        }
        List<LimitBook.Applied> applied = book.limitsOf(caller);
        if (applied.isEmpty()) {
            return Admission.unmetered(caller, stats);
        }
        Instant holdExpiry = meters.now().plus(deadline).plus(settings.holdGrace());
        Admission admission = new Admission(meters, caller, applied, holdExpiry, settings.promptMargin(), stats);
        admission.admit(estimatedTokens);
        return admission;
    }

    /** A scope's limits (configured, admin-set, in effect) and where its current windows stand. */
    public ScopeView view(Scope scope) {
        LimitSet configured = book.configured(scope);
        LimitSet stored = book.storedNow(scope);
        LimitSet effective = stored.over(configured);
        Instant now = meters.now();
        List<MeterKey> keys = Arrays.stream(Meter.values()).map(m -> Meters.key(scope, m, now)).toList();
        Map<MeterKey, MeterState> states = meters.store().read(keys);
        List<ScopeView.MeterView> views = keys.stream().map(key -> {
            MeterState state = states.get(key);
            return new ScopeView.MeterView(key.meter(), effective.limit(key.meter()), key.meter().window(now),
                    state.spent(), state.held(), state.committed() - state.committedAt(now));
        }).toList();
        return new ScopeView(scope, effective, configured, stored, views, now, settings.limitsRefresh());
    }

    /** Sets the limits an admin gives a scope (replacing earlier ones; {@link LimitSet#NONE} clears them). */
    public ScopeView set(Scope scope, LimitSet limits) {
        book.store(scope, limits);
        return view(scope);
    }
}
