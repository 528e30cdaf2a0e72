package io.cato.idempotency;

/** The response a completed request gave, kept so a repeat gets the very same bytes. */
public record StoredResponse(int status, String contentType, String body) {
}
