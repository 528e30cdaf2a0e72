package io.cato.budget;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The limits of one scope (a tenant, an API key or an end user); each is optional, and an absent one is taken from
 * the layer below ({@link #over}). In JSON: {@code {"requests_per_minute": 600, "tokens_per_minute": 200000,
 * "usd_per_day": 50, "usd_per_month": 1000, "over_budget": "refuse"}}.
 */
public record LimitSet(OptionalLong requestsPerMinute, OptionalLong tokensPerMinute, Optional<BigDecimal> usdPerDay,
                       Optional<BigDecimal> usdPerMonth, Optional<OverBudget> overBudget) {

    public static final LimitSet NONE = new LimitSet(OptionalLong.empty(), OptionalLong.empty(), Optional.empty(),
            Optional.empty(), Optional.empty());
    /** The largest count a request or token limit may have. */
    static final long MAX_COUNT = 1_000_000_000_000L;
    /** The largest dollar limit: its nanodollars fit a long many times over. */
    static final BigDecimal MAX_USD = BigDecimal.valueOf(1_000_000_000L);
    private static final Set<String> FIELDS = Set.of("requests_per_minute", "tokens_per_minute", "usd_per_day",
            "usd_per_month", "over_budget");

    /** Each limit of this set, or of {@code base} where this set has none. */
    public LimitSet over(LimitSet base) {
        return new LimitSet(requestsPerMinute.isPresent() ? requestsPerMinute : base.requestsPerMinute,
                tokensPerMinute.isPresent() ? tokensPerMinute : base.tokensPerMinute,
                usdPerDay.or(base::usdPerDay), usdPerMonth.or(base::usdPerMonth), overBudget.or(base::overBudget));
    }

    public boolean isEmpty() {
        return equals(NONE);
    }

    /** The limit on {@code meter} in its unit (requests, tokens, nanodollars), if there is one. */
    public OptionalLong limit(Meter meter) {
        return switch (meter) {
            case REQUESTS_PER_MINUTE -> requestsPerMinute;
            case TOKENS_PER_MINUTE -> tokensPerMinute;
            case USD_PER_DAY -> nanos(usdPerDay);
            case USD_PER_MONTH -> nanos(usdPerMonth);
        };
    }

    public OverBudget overBudgetOrRefuse() {
        return overBudget.orElse(OverBudget.REFUSE);
    }

    private static OptionalLong nanos(Optional<BigDecimal> usd) {
        return usd.map(u -> OptionalLong.of(u.movePointRight(9).longValueExact())).orElse(OptionalLong.empty());
    }

    /**
     * Reads a limit set; {@code null} fields are absent.
     *
     * @throws IllegalArgumentException naming the field that is not valid
     */
    public static LimitSet fromJson(JsonNode node) {
        if (node == null || node.isNull()) {
            return NONE;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("limits must be an object");
        }
        node.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException("unknown limit '" + name + "'; known: " + String.join(", ",
                        FIELDS.stream().sorted().toList()));
            }
        });
        JsonNode overBudget = node.get("over_budget");
        Optional<OverBudget> policy = Optional.empty();
        if (overBudget != null && !overBudget.isNull()) {
            if (!overBudget.isTextual()) {
                throw new IllegalArgumentException("over_budget must be a string");
            }
            policy = Optional.of(OverBudget.parse(overBudget.asText()));
        }
        return new LimitSet(count(node, "requests_per_minute"), count(node, "tokens_per_minute"),
                usd(node, "usd_per_day"), usd(node, "usd_per_month"), policy);
    }

    private static OptionalLong count(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return OptionalLong.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0 || value.asLong() > MAX_COUNT) {
            throw new IllegalArgumentException(field + " must be a whole number from 0 to " + MAX_COUNT);
        }
        return OptionalLong.of(value.asLong());
    }

    private static Optional<BigDecimal> usd(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        // A double's shortest text, not its binary expansion: 0.1 is ten cents, not 0.1000000000000000055...
        BigDecimal usd = !value.isNumber() ? null : value.isBigDecimal() ? value.decimalValue()
                : new BigDecimal(value.asText());
        if (usd == null || usd.signum() < 0 || usd.compareTo(MAX_USD) > 0 || usd.stripTrailingZeros().scale() > 9) {
            throw new IllegalArgumentException(field + " must be a number of US dollars from 0 to " + MAX_USD
                    + " with at most 9 decimals");
        }
        return Optional.of(usd.stripTrailingZeros());
    }

    /** This set as JSON, absent limits left out. */
    public ObjectNode toJson() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        requestsPerMinute.ifPresent(v -> out.put("requests_per_minute", v));
        tokensPerMinute.ifPresent(v -> out.put("tokens_per_minute", v));
        usdPerDay.ifPresent(v -> out.put("usd_per_day", v));
        usdPerMonth.ifPresent(v -> out.put("usd_per_month", v));
        overBudget.ifPresent(v -> out.put("over_budget", v.text()));
        return out;
    }
}
