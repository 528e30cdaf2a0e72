package io.cato.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cato.budget.Budgets;

/**
 * The status endpoint's {@code budgets}: whether limits are on, and per tenant what this instance saw since it
 * started (requests let in, their cost, refusals, downgrades). Shared spend against a limit, summed over every
 * instance, is what {@code /api/admin/cato/limits} reads.
 */
final class BudgetStatus {
    private BudgetStatus() {
    }

    static ObjectNode render(ObjectMapper mapper, Budgets budgets) {
        ObjectNode out = mapper.createObjectNode();
        out.put("enabled", budgets.enabled());
        if (budgets.enabled()) {
            out.put("limits_refresh_seconds", budgets.settings().limitsRefresh().toMillis() / 1000.0);
            out.put("hold_grace_seconds", budgets.settings().holdGrace().toSeconds());
        }
        ObjectNode tenants = out.putObject("tenants");
        budgets.stats().snapshot().forEach((tenant, t) -> tenants.putObject(tenant)
                .put("requests", t.requests()).put("cost_usd", t.costUsd())
                .put("rate_limited", t.rateLimited()).put("budget_exceeded", t.budgetExceeded())
                .put("downgraded", t.downgraded()));
        return out;
    }
}
