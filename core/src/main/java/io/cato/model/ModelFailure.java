package io.cato.model;

/** Why a tier did not answer; the fallback chain chooses its next step by this type. */
public sealed interface ModelFailure {

    String detail();

    /** The provider asked us to slow down (HTTP 429, ThrottlingException). */
    record Throttled(String detail) implements ModelFailure { }

    /** No answer within the deadline. */
    record TimedOut(String detail) implements ModelFailure { }

    /** The provider failed or answered something unreadable (5xx, connection refused, bad body). */
    record Unavailable(String detail) implements ModelFailure { }

    /** The prompt does not fit the model's context window: a larger window may still answer. */
    record ContextTooLong(String detail) implements ModelFailure { }

    /** The model or its guardrail declined to answer. */
    record Refused(String detail) implements ModelFailure { }
}
