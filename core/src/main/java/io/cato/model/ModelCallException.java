package io.cato.model;

/** A failed call to one tier, typed so the fallback chain can decide what to try next. */
public class ModelCallException extends RuntimeException {
    private final String tier;
    private final transient ModelFailure failure;

    public ModelCallException(String tier, ModelFailure failure) {
        super(tier + ": " + failure.getClass().getSimpleName() + " (" + failure.detail() + ")");
        this.tier = tier;
        this.failure = failure;
    }

    public String tier() {
        return tier;
    }

    public ModelFailure failure() {
        return failure;
    }
}
