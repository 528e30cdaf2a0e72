package io.cato.verification;

/**
 * Starts the verification of an answer once it has been given, so verification adds nothing to
 * the caller's latency. In AWS it starts the verify state machine; locally it runs the same
 * steps on a background thread. Implementations never throw: a verification that cannot be
 * started leaves the turn without a verdict.
 */
public interface VerificationStarter {

    /** One answered turn to verify. */
    record Request(String session, long seq, String tenant, String domain, String query, String answer) {
    }

    void start(Request request);
}
