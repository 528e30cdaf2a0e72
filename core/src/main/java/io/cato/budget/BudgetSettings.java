package io.cato.budget;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Limits as configured ({@code "budgets"} in the settings file or {@code CATO_CONFIG_JSON}): defaults for every
 * tenant, every API key and every end user, and overrides for some of them. Limits an admin sets through
 * {@code /api/admin/cato/limits} take precedence over these, limit by limit.
 *
 * @param keys overrides by {@code "<tenant>/<key id>"}
 * @param users overrides by {@code "<tenant>/<user>"}
 * @param limitsRefresh how old an instance's copy of admin-set limits may be: a change reaches every instance
 *     within this time
 * @param holdGrace how long past its caller's deadline a reservation is kept before a sweep may release it
 * @param promptMargin how much a call's estimated prompt is raised by when reserving its cost
 */
public record BudgetSettings(boolean enabled, LimitSet tenantDefaults, LimitSet keyDefaults, LimitSet userDefaults,
                             Map<String, LimitSet> tenants, Map<String, LimitSet> keys, Map<String, LimitSet> users,
                             Duration limitsRefresh, Duration holdGrace, double promptMargin) {

    public static final Duration DEFAULT_LIMITS_REFRESH = Duration.ofSeconds(5);
    public static final Duration DEFAULT_HOLD_GRACE = Duration.ofSeconds(30);
    public static final double DEFAULT_PROMPT_MARGIN = 1.2;
    public static final BudgetSettings DISABLED = builder().build();

    public BudgetSettings {
        tenants = Map.copyOf(tenants);
        keys = Map.copyOf(keys);
        users = Map.copyOf(users);
        if (limitsRefresh.isNegative() || holdGrace.isNegative()) {
            throw new IllegalArgumentException("budgets: limits_refresh_seconds and hold_grace_seconds must not be negative");
        }
        if (!(promptMargin >= 1.0 && promptMargin <= 10.0)) {
            throw new IllegalArgumentException("budgets.prompt_margin must be from 1 to 10");
        }
    }

    /** Every configured limit set, defaults and overrides, e.g. to check the tiers they name. */
    public Stream<LimitSet> all() {
        return Stream.of(Stream.of(tenantDefaults, keyDefaults, userDefaults), tenants.values().stream(),
                keys.values().stream(), users.values().stream()).flatMap(s -> s);
    }

    /** The configured limits of one scope: its override over the default for its kind. */
    public LimitSet configured(Scope scope) {
        return switch (scope.kind()) {
            case TENANT -> tenants.getOrDefault(scope.tenant(), LimitSet.NONE).over(tenantDefaults);
            case KEY -> keys.getOrDefault(scope.tenant() + "/" + scope.id(), LimitSet.NONE).over(keyDefaults);
            case USER -> users.getOrDefault(scope.tenant() + "/" + scope.id(), LimitSet.NONE).over(userDefaults);
        };
    }

    /**
     * Reads the {@code "budgets"} object. Budgets are on when it says {@code "enabled": true}, or when it configures
     * any limit and does not say {@code "enabled": false}.
     *
     * @throws IllegalArgumentException naming what is not valid
     */
    public static BudgetSettings fromJson(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return DISABLED;
        }
        JsonNode defaults = node.path("defaults");
        Map<String, LimitSet> tenants = overrides(node.path("tenants"), "tenants", false);
        Map<String, LimitSet> keys = overrides(node.path("keys"), "keys", true);
        Map<String, LimitSet> users = overrides(node.path("users"), "users", true);
        LimitSet tenantDefaults = limits(defaults.get("tenant"), "defaults.tenant");
        LimitSet keyDefaults = limits(defaults.get("key"), "defaults.key");
        LimitSet userDefaults = limits(defaults.get("user"), "defaults.user");
        boolean configured = !(tenantDefaults.isEmpty() && keyDefaults.isEmpty() && userDefaults.isEmpty()
                && tenants.isEmpty() && keys.isEmpty() && users.isEmpty());
        JsonNode enabled = node.get("enabled");
        return BudgetSettings.builder()
                .enabled(enabled == null || enabled.isNull() ? configured : enabled.asBoolean())
                .tenantDefaults(tenantDefaults).keyDefaults(keyDefaults).userDefaults(userDefaults).tenants(tenants)
                .keys(keys).users(users)
                .limitsRefresh(Duration.ofMillis(Math.round(node.path("limits_refresh_seconds")
                        .asDouble(DEFAULT_LIMITS_REFRESH.toSeconds()) * 1000)))
                .holdGrace(Duration.ofSeconds(node.path("hold_grace_seconds").asLong(DEFAULT_HOLD_GRACE.toSeconds())))
                .promptMargin(node.path("prompt_margin").asDouble(DEFAULT_PROMPT_MARGIN)).build();
    }

    /** Starts from budgets turned off and without limits; each part named replaces its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects the parts of budget settings by name. */
    public static final class Builder {
        private boolean enabled = false;
        private LimitSet tenantDefaults = LimitSet.NONE;
        private LimitSet keyDefaults = LimitSet.NONE;
        private LimitSet userDefaults = LimitSet.NONE;
        private Map<String, LimitSet> tenants = Map.of();
        private Map<String, LimitSet> keys = Map.of();
        private Map<String, LimitSet> users = Map.of();
        private Duration limitsRefresh = DEFAULT_LIMITS_REFRESH;
        private Duration holdGrace = DEFAULT_HOLD_GRACE;
        private double promptMargin = DEFAULT_PROMPT_MARGIN;

        private Builder() {
        }

        public Builder enabled(boolean value) {
            this.enabled = value;
            return this;
        }

        public Builder tenantDefaults(LimitSet value) {
            this.tenantDefaults = value;
            return this;
        }

        public Builder keyDefaults(LimitSet value) {
            this.keyDefaults = value;
            return this;
        }

        public Builder userDefaults(LimitSet value) {
            this.userDefaults = value;
            return this;
        }

        public Builder tenants(Map<String, LimitSet> value) {
            this.tenants = value;
            return this;
        }

        public Builder keys(Map<String, LimitSet> value) {
            this.keys = value;
            return this;
        }

        public Builder users(Map<String, LimitSet> value) {
            this.users = value;
            return this;
        }

        public Builder limitsRefresh(Duration value) {
            this.limitsRefresh = value;
            return this;
        }

        public Builder holdGrace(Duration value) {
            this.holdGrace = value;
            return this;
        }

        public Builder promptMargin(double value) {
            this.promptMargin = value;
            return this;
        }

        public BudgetSettings build() {
            return new BudgetSettings(enabled, tenantDefaults, keyDefaults, userDefaults, tenants, keys, users,
                    limitsRefresh, holdGrace, promptMargin);
        }
    }

    private static Map<String, LimitSet> overrides(JsonNode node, String field, boolean qualified) {
        Map<String, LimitSet> out = new LinkedHashMap<>();
        if (node.isMissingNode() || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("budgets." + field + " must be an object");
        }
        node.properties().forEach(e -> {
            if (qualified && e.getKey().indexOf('/') <= 0) {
                throw new IllegalArgumentException("budgets." + field + " are named \"<tenant>/<id>\", got '"
                        + e.getKey() + "'");
            }
            out.put(e.getKey(), limits(e.getValue(), field + "." + e.getKey()));
        });
        return out;
    }

    private static LimitSet limits(JsonNode node, String where) {
        try {
            return LimitSet.fromJson(node);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("budgets." + where + ": " + e.getMessage(), e);
        }
    }
}
