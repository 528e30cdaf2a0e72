package io.cato.breaker;

import io.cato.model.ModelCallException;
import io.cato.model.ModelFailure;

/**
 * A call refused without reaching the tier because its circuit is open. It is an ordinary
 * {@link ModelFailure.Unavailable} to the fallback chain, which moves on to the next tier.
 */
public class CircuitOpenException extends ModelCallException {

    public CircuitOpenException(String tier) {
        super(tier, new ModelFailure.Unavailable("circuit open for " + tier));
    }
}
