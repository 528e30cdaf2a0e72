package io.cato.memory;

/** A workflow function was asked for a step it does not have: a mismatch between ASL and code. */
public final class UnknownStepException extends RuntimeException {
    private final String step;

    public UnknownStepException(String step) {
        super("unknown step '" + step + "'");
        this.step = step;
    }

    public String step() {
        return step;
    }
}
