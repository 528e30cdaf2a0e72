package io.cato.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.breaker.CircuitBreakers;
import io.cato.rollout.FixedRolloutFlag;
import io.cato.rollout.RolloutFlag;
import io.cato.routing.Orchestrator;
import io.cato.routing.Tiers;
import io.cato.status.HealthCheck;
import io.cato.status.ServiceStats;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Everything the API is built from; assembled by each deployment's wiring. */
public record ApiParts(ObjectMapper mapper, Orchestrator orchestrator, Tiers tiers, Idempotency idempotency,
                       RolloutFlag rollout, Optional<LegacyRoute> legacy, AdminAuth adminAuth,
                       List<HealthCheck> healthChecks, ServiceStats stats, Clock clock, int maxBodyBytes,
                       CatoApi.Deadlines deadlines, CircuitBreakers breakers) {

    /** The parts every API needs; the rest have defaults or are set by name on the builder. */
    public static Builder builder(ObjectMapper mapper, Orchestrator orchestrator, Tiers tiers) {
        return new Builder(mapper, orchestrator, tiers);
    }

    /**
     * Builds {@link ApiParts} by name. Without a setting: every request on Cato (no legacy route), admin endpoints
     * closed, no health checks, the system clock, 1 MiB bodies and a 30-second deadline; idempotency and the
     * breakers must be given.
     */
    public static final class Builder {
        private final ObjectMapper mapper;
        private final Orchestrator orchestrator;
        private final Tiers tiers;
        private Idempotency idempotency;
        private RolloutFlag rollout = new FixedRolloutFlag(100);
        private Optional<LegacyRoute> legacy = Optional.empty();
        private AdminAuth adminAuth = new AdminAuth(Optional.empty());
        private List<HealthCheck> healthChecks = List.of();
        private ServiceStats stats = new ServiceStats();
        private Clock clock = Clock.systemUTC();
        private int maxBodyBytes = 1_048_576;
        private CatoApi.Deadlines deadlines = CatoApi.Deadlines.of(Duration.ofSeconds(30));
        private CircuitBreakers breakers;

        private Builder(ObjectMapper mapper, Orchestrator orchestrator, Tiers tiers) {
            this.mapper = mapper;
            this.orchestrator = orchestrator;
            this.tiers = tiers;
        }

        public Builder idempotency(Idempotency value) {
            this.idempotency = value;
            return this;
        }

        public Builder rollout(RolloutFlag value) {
            this.rollout = value;
            return this;
        }

        public Builder legacy(Optional<LegacyRoute> value) {
            this.legacy = value;
            return this;
        }

        public Builder adminAuth(AdminAuth value) {
            this.adminAuth = value;
            return this;
        }

        public Builder healthChecks(List<HealthCheck> value) {
            this.healthChecks = List.copyOf(value);
            return this;
        }

        public Builder stats(ServiceStats value) {
            this.stats = value;
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        public Builder maxBodyBytes(int value) {
            this.maxBodyBytes = value;
            return this;
        }

        public Builder deadlines(CatoApi.Deadlines value) {
            this.deadlines = value;
            return this;
        }

        public Builder breakers(CircuitBreakers value) {
            this.breakers = value;
            return this;
        }

        public ApiParts build() {
            Objects.requireNonNull(idempotency, "idempotency");
            Objects.requireNonNull(breakers, "breakers");
            return new ApiParts(mapper, orchestrator, tiers, idempotency, rollout, legacy, adminAuth, healthChecks, stats,
                    clock, maxBodyBytes, deadlines, breakers);
        }
    }
}
