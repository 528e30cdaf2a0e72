package io.cato.session;

/** A tenant or session id that is not a valid key; the API answers 400 {@code invalid_request}. */
public final class InvalidSessionKeyException extends IllegalArgumentException {
    private final String field;

    public InvalidSessionKeyException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The request field at fault: {@code tenant} or {@code session_id}. */
    public String field() {
        return field;
    }
}
