package io.cato.rollout;

/** The share of traffic, 0 to 100, that Cato serves instead of the legacy path. */
public interface RolloutFlag {
    int percentage();
}
