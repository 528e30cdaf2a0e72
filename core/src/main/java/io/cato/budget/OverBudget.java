package io.cato.budget;

/**
 * What happens to a request whose dollar budget is spent: refused, or answered by a cheaper tier.
 */
public sealed interface OverBudget permits OverBudget.Refuse, OverBudget.Downgrade {

    /** The setting's text, as configured and as the admin endpoint shows it. */
    String text();

    /** Refused with {@code budget_exceeded}. */
    record Refuse() implements OverBudget {
        @Override
        public String text() {
            return "refuse";
        }
    }

    /**
     * Answered by {@code tier} (then the memory tier, should it fail). Calls on that tier are metered (their spend
     * is recorded) but not refused by the spent dollar budget: an operator picks a tier whose spend is acceptable
     * beyond the budget, typically a self-hosted one or the memory tier. Request and token limits still apply.
     */
    record Downgrade(String tier) implements OverBudget {
        @Override
        public String text() {
            return "downgrade:" + tier;
        }
    }

    OverBudget REFUSE = new Refuse();

    /** Parses {@code "refuse"} or {@code "downgrade:<tier>"}. */
    static OverBudget parse(String text) {
        String value = text.strip();
        if (value.equals("refuse")) {
            return REFUSE;
        }
        if (value.startsWith("downgrade:") && value.length() > "downgrade:".length()) {
            return new Downgrade(value.substring("downgrade:".length()).strip());
        }
        throw new IllegalArgumentException("over_budget must be \"refuse\" or \"downgrade:<tier>\", got '" + text + "'");
    }
}
