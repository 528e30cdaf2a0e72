package io.cato.rollout;

/** A rollout percentage fixed by configuration (the embedded default). */
public record FixedRolloutFlag(int percentage) implements RolloutFlag {
    public FixedRolloutFlag {
        if (percentage < 0 || percentage > 100) {
            throw new IllegalArgumentException("rollout percentage must be 0..100, got " + percentage);
        }
    }
}
