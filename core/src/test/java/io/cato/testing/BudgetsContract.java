package io.cato.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cato.budget.Admission;
import io.cato.budget.BudgetExceededException;
import io.cato.budget.BudgetSettings;
import io.cato.budget.BudgetStore;
import io.cato.budget.Budgets;
import io.cato.budget.Caller;
import io.cato.budget.LimitSet;
import io.cato.budget.Meter;
import io.cato.budget.OverBudget;
import io.cato.budget.RateLimitStatus;
import io.cato.budget.RateLimitedException;
import io.cato.budget.Scope;
import io.cato.model.ChatMessage;
import io.cato.model.ModelClient;
import io.cato.model.ModelReply;
import io.cato.model.ModelRequest;
import io.cato.model.Provider;
import io.cato.model.TierConfig;
import io.cato.model.TokenUsage;
import io.cato.status.MetricsSink;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Limits over a shared {@link BudgetStore}, with time on a {@link MutableClock}: windows turn and reservations
 * expire without waiting. Each adapter's test runs these against its store; two {@link Budgets} over one store are
 * two instances.
 */
public abstract class BudgetsContract {
    /** $1 per 1,000 prompt tokens, $2 per 1,000 answer tokens: a call of 5 + 10 tokens costs $0.025. */
    static final TierConfig TIER = TierConfig.builder().name("sonnet").provider(Provider.OPENAI).modelId("m")
            .baseUrl(Optional.of("http://unused")).prices(new TierConfig.Prices(1.0, 2.0, 0.1, 1.0))
            .timeout(Duration.ofSeconds(5)).contextWindow(8192).historyBudget(4096).maxOutputTokens(10).build();
    static final BigDecimal ONE_CALL_USD = new BigDecimal("0.025");
    static final Duration DEADLINE = Duration.ofSeconds(30);

    private final MutableClock clock = MutableClock.atTheStartOfAMinute();
    private final String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
    private final AtomicInteger calls = new AtomicInteger();
    private final ModelClient model = request -> {
        calls.incrementAndGet();
        return new ModelReply("answer", "m", new TokenUsage(5, 10, 0));
    };

    /** A store of its own for each test; two {@link Budgets} over it share everything. */
    protected abstract BudgetStore store();

    private BudgetStore store;

    private BudgetStore shared() {
        if (store == null) {
            store = store();
        }
        return store;
    }

    private Budgets budgets(LimitSet tenantLimits) {
        return budgets(tenantLimits, LimitSet.NONE);
    }

    private Budgets budgets(LimitSet tenantLimits, LimitSet userLimits) {
        var settings = BudgetSettings.builder().enabled(true).tenantDefaults(tenantLimits).keyDefaults(LimitSet.NONE)
                .userDefaults(userLimits).tenants(Map.of()).keys(Map.of()).users(Map.of())
                .limitsRefresh(Duration.ofSeconds(5)).holdGrace(Duration.ofSeconds(30)).promptMargin(1.0).build();
        return new Budgets(settings, shared(), clock, MetricsSink.NONE);
    }

    private static LimitSet limits(long rpm, long tpm, String usdPerDay, String usdPerMonth, OverBudget policy) {
        return new LimitSet(rpm < 0 ? OptionalLong.empty() : OptionalLong.of(rpm),
                tpm < 0 ? OptionalLong.empty() : OptionalLong.of(tpm),
                Optional.ofNullable(usdPerDay).map(BigDecimal::new), Optional.ofNullable(usdPerMonth).map(BigDecimal::new),
                Optional.ofNullable(policy));
    }

    private static ModelRequest question() {
        return new ModelRequest(null, List.of(ChatMessage.user("hi")), 10, 0.7, Duration.ofSeconds(5));
    }

    private Admission admit(Budgets budgets) {
        return budgets.admit(Caller.of(tenant), 15, DEADLINE);
    }

    /** One request with one model call, finished as the answer path finishes it. */
    private void answer(Budgets budgets) {
        Admission admission = admit(budgets);
        try {
            admission.meter(TIER, model).complete(question());
        } finally {
            admission.finish(0);
        }
    }

    private long spentNanos(Budgets budgets, Meter meter) {
        return budgets.view(Scope.tenant(tenant)).meters().stream().filter(m -> m.meter() == meter).findFirst()
                .orElseThrow().spent();
    }

    @Test
    void requestsPerMinute_refuseTheThirdRequest_untilTheMinuteTurns() {
        Budgets budgets = budgets(limits(2, -1, null, null, null));
        Instant minuteEnd = clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
        RateLimitStatus.Gauge first = admit(budgets).status().requests().orElseThrow();
        admit(budgets);

        assertThatThrownBy(() -> admit(budgets)).isInstanceOfSatisfying(RateLimitedException.class, refused -> {
            assertThat(refused.meter()).isEqualTo(Meter.REQUESTS_PER_MINUTE);
            assertThat(refused.retryAfter()).isEqualTo(Duration.between(clock.instant(), minuteEnd));
            assertThat(refused.status().requests().orElseThrow().remaining()).isZero();
        });
        assertThat(first).isEqualTo(new RateLimitStatus.Gauge(2, 1, Duration.between(clock.instant(), minuteEnd)));

        clock.advance(Duration.between(clock.instant(), minuteEnd).minusMillis(1));
        assertThatThrownBy(() -> admit(budgets)).isInstanceOf(RateLimitedException.class);
        clock.advance(Duration.ofMillis(1));
        assertThat(admit(budgets).status().requests().orElseThrow().remaining()).isEqualTo(1);
    }

    @Test
    void tokensPerMinute_holdTheEstimate_thenCountWhatTheCallsUsed() {
        Budgets budgets = budgets(limits(-1, 40, null, null, null));
        Admission first = admit(budgets);
        admit(budgets);

        assertThatThrownBy(() -> admit(budgets)).isInstanceOf(RateLimitedException.class)
                .extracting(e -> ((RateLimitedException) e).meter()).isEqualTo(Meter.TOKENS_PER_MINUTE);

        first.meter(TIER, request -> new ModelReply("a", "m", new TokenUsage(3, 2, 0))).complete(question());
        first.finish(0);
        Admission third = admit(budgets);
        assertThat(third.status().tokens().orElseThrow().remaining()).as("40 - (5 used + 15 held + 15 held)")
                .isEqualTo(5);
    }

    @Test
    void dollarsPerDay_refuseOnceSpent_untilMidnightUtc() {
        Budgets budgets = budgets(limits(-1, -1, ONE_CALL_USD.toPlainString(), null, null));
        answer(budgets);
        Instant midnight = clock.instant().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));

        assertThatThrownBy(() -> admit(budgets)).isInstanceOfSatisfying(BudgetExceededException.class, refused -> {
            assertThat(refused.meter()).isEqualTo(Meter.USD_PER_DAY);
            assertThat(refused.retryAfter()).isEqualTo(Duration.between(clock.instant(), midnight));
        });
        assertThat(spentNanos(budgets, Meter.USD_PER_DAY)).isEqualTo(25_000_000);

        clock.advance(Duration.between(clock.instant(), midnight));
        answer(budgets);
        assertThat(calls.get()).isEqualTo(2);
        assertThat(spentNanos(budgets, Meter.USD_PER_DAY)).as("a new day's item").isEqualTo(25_000_000);
    }

    @Test
    void dollarsPerMonth_staySpentAcrossDays_untilTheMonthTurns() {
        Budgets budgets = budgets(limits(-1, -1, null, ONE_CALL_USD.toPlainString(), null));
        answer(budgets);
        clock.advance(Duration.ofDays(1));
        boolean sameMonth = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).getMonth()
                == LocalDate.ofInstant(clock.instant().minus(Duration.ofDays(1)), ZoneOffset.UTC).getMonth();
        if (sameMonth) {
            assertThatThrownBy(() -> admit(budgets)).isInstanceOf(BudgetExceededException.class);
        }

        LocalDate nextMonth = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).withDayOfMonth(1).plusMonths(1);
        clock.advance(Duration.between(clock.instant(), nextMonth.atStartOfDay(ZoneOffset.UTC).toInstant()));
        answer(budgets);
        assertThat(calls.get()).isEqualTo(2);
    }

    @Test
    void aCrashBetweenReserveAndSettle_holdsItsRoomUntilTheDeadlinePlusGrace_thenAnotherInstanceGetsIt() {
        // The bound: the request's deadline plus the hold grace, rounded up to the next ten seconds.
        LimitSet oneCall = limits(-1, -1, ONE_CALL_USD.toPlainString(), null, null);
        Budgets crashed = budgets(oneCall);
        Budgets survivor = budgets(oneCall);
        Admission dying = admit(crashed);
        ModelClient crashing = request -> {
            throw new Error("the process died mid-call");
        };
        assertThatThrownBy(() -> dying.meter(TIER, crashing).complete(question())).isInstanceOf(Error.class);
        Duration bound = DEADLINE.plus(Duration.ofSeconds(30));

        assertThatThrownBy(() -> admit(survivor)).as("the crashed call's reservation still holds its room")
                .isInstanceOf(BudgetExceededException.class);
        clock.advance(bound);
        assertThatThrownBy(() -> admit(survivor)).as("held until the bound, not a moment less")
                .isInstanceOf(BudgetExceededException.class);
        clock.advance(Duration.ofSeconds(10));
        answer(survivor);

        assertThat(calls.get()).isEqualTo(1);
        var day = survivor.view(Scope.tenant(tenant)).meters().stream().filter(m -> m.meter() == Meter.USD_PER_DAY)
                .findFirst().orElseThrow();
        assertThat(day.spent()).isEqualTo(25_000_000);
        assertThat(day.held()).as("the expired reservation was swept").isZero();
    }

    @Test
    void aBudgetsRecord_staysSmall_asCallsComeAndGoForAQuarterOfAnHour() {
        Budgets budgets = budgets(limits(-1, -1, "1000", null, null));
        for (int i = 0; i < 100; i++) {
            answer(budgets);
            clock.advance(Duration.ofSeconds(10));
        }

        BudgetStore.MeterKey day = new BudgetStore.MeterKey(Scope.tenant(tenant).storageKey(), Meter.USD_PER_DAY,
                Meter.USD_PER_DAY.window(clock.instant()).id());
        BudgetStore.MeterState state = shared().read(List.of(day)).get(day);
        assertThat(state.buckets()).as("expired buckets are swept past 64").hasSizeLessThanOrEqualTo(65);
        assertThat(state.spent()).isEqualTo(100 * 25_000_000L);
        assertThat(state.held()).isZero();
    }

    @Test
    void aUsersLimit_refusesThatUserOnly() {
        Budgets budgets = budgets(LimitSet.NONE, limits(1, -1, null, null, null));
        Caller alice = new Caller(tenant, Optional.empty(), Optional.of("alice@example.com"));
        Caller bob = new Caller(tenant, Optional.empty(), Optional.of("bob@example.com"));
        budgets.admit(alice, 15, DEADLINE);

        assertThatThrownBy(() -> budgets.admit(alice, 15, DEADLINE)).isInstanceOfSatisfying(RateLimitedException.class,
                refused -> {
                    assertThat(refused.scope().kind()).isEqualTo(Scope.Kind.USER);
                    assertThat(refused.getMessage()).doesNotContain("alice");
                });
        budgets.admit(bob, 15, DEADLINE);
        budgets.admit(Caller.of(tenant), 15, DEADLINE);
    }

    @Test
    void limitsAnAdminSets_reachAnotherInstanceWithinTheRefreshTime() {
        Budgets admin = budgets(LimitSet.NONE);
        Budgets other = budgets(LimitSet.NONE);
        admit(other);

        admin.set(Scope.tenant(tenant), limits(1, -1, null, null, null));
        admit(admin);
        admit(other);
        clock.advance(Duration.ofSeconds(5));
        admit(other);
        clock.advance(Duration.ofMillis(1));

        assertThatThrownBy(() -> admit(other)).isInstanceOf(RateLimitedException.class);
        assertThatThrownBy(() -> admit(admin)).isInstanceOf(RateLimitedException.class);
        assertThat(other.view(Scope.tenant(tenant)).effective().requestsPerMinute()).hasValue(1);
    }

    @Test
    void aSpentBudgetWithADowngradePolicy_sendsTheRequestToTheDowngradeTier_whoseSpendIsCountedNotRefused() {
        TierConfig shadow = TierConfig.builder().name("shadow").provider(Provider.OPENAI).modelId("s")
                .baseUrl(Optional.of("http://unused")).prices(new TierConfig.Prices(0.1, 0.1, 0.1))
                .timeout(Duration.ofSeconds(5)).contextWindow(8192).historyBudget(4096).maxOutputTokens(10).build();
        Budgets budgets = budgets(limits(-1, -1, ONE_CALL_USD.toPlainString(), null, new OverBudget.Downgrade("shadow")));
        answer(budgets);

        Admission over = admit(budgets);
        over.meter(shadow, model).complete(question());
        over.finish(0);

        assertThat(over.downgradedTo()).contains("shadow");
        assertThatThrownBy(() -> over.meter(TIER, model).complete(question()))
                .as("the dear tier stays refused").isInstanceOf(BudgetExceededException.class);
        assertThat(spentNanos(budgets, Meter.USD_PER_DAY)).isEqualTo(25_000_000 + 1_500_000);
        assertThat(budgets.stats().snapshot().get(tenant).downgraded()).isEqualTo(1);
    }

    @Test
    void aFailedCall_releasesItsReservation_andAFreeTierReservesNothing() {
        Budgets budgets = budgets(limits(-1, -1, ONE_CALL_USD.toPlainString(), null, null));
        Admission admission = admit(budgets);
        ModelClient failing = request -> {
            throw new io.cato.model.ModelCallException("sonnet", new io.cato.model.ModelFailure.Unavailable("down"));
        };
        assertThatThrownBy(() -> admission.meter(TIER, failing).complete(question()))
                .isInstanceOf(io.cato.model.ModelCallException.class);
        TierConfig free = TierConfig.builder().name("memory").provider(Provider.MEMORY).modelId("memory")
                .prices(TierConfig.Prices.FREE).timeout(Duration.ofSeconds(1)).contextWindow(32_000)
                .historyBudget(16_000).maxOutputTokens(1_000).build();
        admission.meter(free, model).complete(question());
        admission.finish(0);

        answer(budgets);
        assertThat(spentNanos(budgets, Meter.USD_PER_DAY)).isEqualTo(25_000_000);
    }
}
