package io.cato.nli;

/** A verifier (NLI model, Shadow Self probe) could not give an answer; the caller records "unavailable". */
public final class VerifierUnavailableException extends RuntimeException {
    private final String verifier;

    public VerifierUnavailableException(String verifier, String message) {
        super(verifier + ": " + message);
        this.verifier = verifier;
    }

    public VerifierUnavailableException(String verifier, String message, Throwable cause) {
        super(verifier + ": " + message, cause);
        this.verifier = verifier;
    }

    public String verifier() {
        return verifier;
    }
}
