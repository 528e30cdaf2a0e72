package io.cato.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cato.budget.Budgets;
import io.cato.budget.LimitSet;
import io.cato.budget.OverBudget;
import io.cato.budget.Pricing;
import io.cato.budget.Scope;
import io.cato.budget.ScopeView;
import io.cato.routing.Tier;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code /api/admin/cato/limits}: a tenant's, an API key's or an end user's limits and usage. {@code POST} with
 * {@code {"tenant": "acme"}} (and {@code "key_id"} or {@code "user"} for one of its keys or users) reads them;
 * {@code PUT} with the same and {@code "limits": {...}} sets them for every instance (replacing what an admin set
 * before; {@code {}} clears it). Configured limits stay underneath, limit by limit.
 */
final class LimitsEndpoint {
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private final ObjectMapper mapper;
    private final Budgets budgets;
    private final List<Tier> tiers;

    LimitsEndpoint(ObjectMapper mapper, Budgets budgets, List<Tier> tiers) {
        this.mapper = mapper;
        this.budgets = budgets;
        this.tiers = tiers;
    }

    ApiResponse handle(String method, JsonNode body) {
        if (!budgets.enabled()) {
            throw new ApiException(ErrorCode.NOT_FOUND,
                    "limits are not enabled in this deployment (configure budgets, or set budgets.enabled)");
        }
        Scope scope = scope(body);
        ScopeView view = switch (method) {
            case "POST" -> budgets.view(scope);
            case "PUT" -> budgets.set(scope, limits(body));
            default -> throw new ApiException(ErrorCode.METHOD_NOT_ALLOWED, "use POST to read limits, PUT to set them");
        };
        return ApiResponse.json(200, render(view).toString());
    }

    private static Scope scope(JsonNode body) {
        String tenant = RequestReader.requiredText(body, "tenant", 64);
        if (!TENANT.matcher(tenant).matches()) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "tenant must be 1-64 letters, digits, . _ -");
        }
        Optional<String> key = RequestReader.optionalText(body, "key_id").filter(k -> !k.isBlank());
        Optional<String> user = RequestReader.optionalText(body, "user").filter(u -> !u.isBlank());
        if (key.isPresent() && user.isPresent()) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "give at most one of 'key_id' and 'user'");
        }
        key.or(() -> user).filter(id -> id.length() > Callers.MAX_ID_CHARS).ifPresent(id -> {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "key_id and user are at most " + Callers.MAX_ID_CHARS
                    + " characters");
        });
        return key.map(k -> Scope.key(tenant, k))
                .or(() -> user.map(u -> Scope.user(tenant, u)))
                .orElseGet(() -> Scope.tenant(tenant));
    }

    private LimitSet limits(JsonNode body) {
        if (!body.has("limits")) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "'limits' is required to set limits ({} clears them)");
        }
        LimitSet limits;
        try {
            limits = LimitSet.fromJson(body.get("limits"));
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "limits: " + e.getMessage());
        }
        limits.overBudget().filter(OverBudget.Downgrade.class::isInstance).map(p -> ((OverBudget.Downgrade) p).tier())
                .filter(tier -> tiers.stream().noneMatch(t -> t.name().equals(tier)))
                .ifPresent(tier -> {
                    throw new ApiException(ErrorCode.INVALID_REQUEST, "over_budget names tier '" + tier
                            + "', which is not deployed");
                });
        return limits;
    }

    private ObjectNode render(ScopeView view) {
        ObjectNode out = mapper.createObjectNode();
        ObjectNode scope = out.putObject("scope").put("kind", view.scope().kind().label())
                .put("tenant", view.scope().tenant());
        switch (view.scope().kind()) {
            case KEY -> scope.put("key_id", view.scope().id());
            case USER -> scope.put("user", view.scope().id());
            case TENANT -> { }
        }
        ObjectNode limits = out.putObject("limits");
        limits.set("effective", view.effective().toJson());
        limits.set("configured", view.configured().toJson());
        limits.set("admin", view.stored().toJson());
        ObjectNode usage = out.putObject("usage");
        view.meters().forEach(m -> usage.set(m.meter().field(), meter(m, view)));
        out.put("limits_refresh_seconds", view.limitsRefresh().toMillis() / 1000.0);
        return out;
    }

    private ObjectNode meter(ScopeView.MeterView m, ScopeView view) {
        ObjectNode node = mapper.createObjectNode();
        boolean dollars = m.meter().dollars();
        String unit = dollars ? "_usd" : "";
        if (m.limit().isPresent()) {
            put(node, "limit" + unit, m.limit().getAsLong(), dollars);
            put(node, "remaining" + unit, m.remaining().getAsLong(), dollars);
        } else {
            node.putNull("limit" + unit);
        }
        put(node, (dollars ? "spent" : "used") + unit, m.spent(), dollars);
        put(node, "reserved" + unit, m.held(), dollars);
        if (m.expiredHeld() > 0) {
            put(node, "expired_reserved" + unit, m.expiredHeld(), dollars);
        }
        node.put("window", m.window().id());
        node.put("resets_in_seconds", m.window().resetIn(view.at()).toSeconds());
        return node;
    }

    private static void put(ObjectNode node, String field, long value, boolean dollars) {
        if (dollars) {
            node.put(field, Pricing.usd(value));
        } else {
            node.put(field, value);
        }
    }
}
