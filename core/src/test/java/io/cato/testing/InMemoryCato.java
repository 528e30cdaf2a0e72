package io.cato.testing;

import io.cato.api.AdminAuth;
import io.cato.api.ApiParts;
import io.cato.api.CatoApi;
import io.cato.api.Idempotency;
import io.cato.config.Json;
import io.cato.breaker.BreakerPolicy;
import io.cato.breaker.BreakerStore;
import io.cato.breaker.CircuitBreakers;
import io.cato.breaker.InMemoryBreakerStore;
import io.cato.budget.Budgets;
import io.cato.idempotency.IdempotencyStore;
import io.cato.idempotency.InMemoryIdempotencyStore;
import io.cato.rollout.FixedRolloutFlag;
import io.cato.api.LegacyRoute;
import io.cato.routing.Orchestrator;
import io.cato.routing.Router;
import io.cato.routing.Tier;
import io.cato.routing.Tiers;
import io.cato.session.InMemorySessionStore;
import io.cato.session.SessionStore;
import io.cato.status.ServiceStats;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Cato's API over in-memory stores, for tests of core behaviour. Model tiers are guarded by
 * circuit breakers as in production; two instances given the same breaker store behave like two
 * Lambda environments sharing the breaker table.
 */
public final class InMemoryCato {
    public static final String ADMIN_TOKEN = "test-admin-token";

    public final SessionStore sessions;
    public final IdempotencyStore idempotency = new InMemoryIdempotencyStore(Clock.systemUTC(), Duration.ofHours(1));
    public final ServiceStats stats = new ServiceStats();
    public final CircuitBreakers breakers;
    private final Clock clock;

    public InMemoryCato() {
        this(new InMemoryBreakerStore(), BreakerPolicy.defaults(), Clock.systemUTC());
    }

    public InMemoryCato(BreakerStore breakerStore, BreakerPolicy breakerPolicy, Clock clock) {
        this(new InMemorySessionStore(), breakerStore, breakerPolicy, clock);
    }

    /** Over the given session store, e.g. one that fails on purpose. */
    public InMemoryCato(SessionStore sessions) {
        this(sessions, new InMemoryBreakerStore(), BreakerPolicy.defaults(), Clock.systemUTC());
    }

    private InMemoryCato(SessionStore sessions, BreakerStore breakerStore, BreakerPolicy breakerPolicy, Clock clock) {
        this.sessions = sessions;
        this.breakers = new CircuitBreakers(breakerStore, breakerPolicy, clock);
        this.clock = clock;
    }

    public CatoApi api(List<Tier> tiers, List<String> chain) {
        return api(tiers, chain, 100, Optional.empty());
    }

    public CatoApi api(List<Tier> tiers, List<String> chain, int rollout, Optional<LegacyRoute> legacy) {
        return api(tiers, chain, rollout, legacy, Budgets.disabled());
    }

    /** Cato under {@code budgets}: two instances given budgets over one store share their limits. */
    public CatoApi api(List<Tier> tiers, List<String> chain, Budgets budgets) {
        return api(tiers, chain, 100, Optional.empty(), budgets);
    }

    private CatoApi api(List<Tier> tiers, List<String> chain, int rollout, Optional<LegacyRoute> legacy,
                        Budgets budgets) {
        Tiers chained = new Tiers(tiers.stream().map(tier -> tier.guardedBy(breakers)).toList(),
                chain);
        Orchestrator orchestrator = Orchestrator.builder(sessions, Router.chainOrder(chained))
                .stats(stats).clock(clock).limits(new Orchestrator.Limits(50, 256, 0.2, Duration.ofSeconds(5)))
                .budgets(budgets).build();
        return new CatoApi(ApiParts.builder(Json.newMapper(), orchestrator, chained)
                .idempotency(new Idempotency(idempotency)).rollout(new FixedRolloutFlag(rollout)).legacy(legacy)
                .adminAuth(new AdminAuth(Optional.of(ADMIN_TOKEN))).stats(stats).clock(clock).maxBodyBytes(1_048_576)
                .deadlines(CatoApi.Deadlines.of(Duration.ofSeconds(5))).breakers(breakers).build());
    }
}
