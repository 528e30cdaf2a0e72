package io.cato.breaker;

/** The states of a circuit breaker, in resilience4j's vocabulary. */
public enum BreakerState {
    /** Calls go through; outcomes are counted. */
    CLOSED,
    /** Calls are refused without reaching the tier until the wait in open state has passed. */
    OPEN,
    /** A bounded number of probe calls, across all instances, test whether the tier is back. */
    HALF_OPEN
}
