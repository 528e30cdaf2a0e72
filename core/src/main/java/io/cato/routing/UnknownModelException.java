package io.cato.routing;

/** A request asked for a model that is neither a deployed tier nor a name for automatic routing. */
public class UnknownModelException extends RuntimeException {
    private final String model;

    public UnknownModelException(String model) {
        super("unknown model '" + model + "'");
        this.model = model;
    }

    public String model() {
        return model;
    }
}
