package io.cato.api;

/** Stable error codes: clients branch on these, so they never change meaning. */
public enum ErrorCode {
    INVALID_JSON(400, "invalid_json"),
    INVALID_REQUEST(400, "invalid_request"),
    UNKNOWN_MODEL(400, "unknown_model"),
    /** A request field, or a value of one, that Cato (or the tiers the request may go to) does not honour. */
    UNSUPPORTED_PARAMETER(400, "unsupported_parameter"),
    /** An image given by a remote URL: Cato does not fetch URLs on a caller's behalf; send a data: URL. */
    REMOTE_IMAGE_NOT_FETCHED(400, "remote_image_not_fetched"),
    IMAGE_TOO_LARGE(400, "image_too_large"),
    MISSING_CREDENTIALS(401, "missing_credentials"),
    BUDGET_EXCEEDED(402, "budget_exceeded"),
    INVALID_CREDENTIALS(401, "invalid_credentials"),
    NOT_FOUND(404, "not_found"),
    /** An OpenAI API Cato does not serve (embeddings, the Responses API). */
    ENDPOINT_NOT_OFFERED(404, "endpoint_not_offered"),
    METHOD_NOT_ALLOWED(405, "method_not_allowed"),
    REQUEST_TIMEOUT(408, "request_timeout"),
    IDEMPOTENCY_IN_PROGRESS(409, "idempotency_in_progress"),
    BODY_TOO_LARGE(413, "body_too_large"),
    QUERY_TOO_LARGE(413, "query_too_large"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type"),
    IDEMPOTENCY_KEY_REUSED(422, "idempotency_key_reused"),
    TOO_MANY_REQUESTS(429, "too_many_requests"),
    RATE_LIMITED(429, "rate_limited"),
    INTERNAL(500, "internal_error"),
    LEGACY_UNAVAILABLE(502, "legacy_unavailable"),
    DEPENDENCY_UNAVAILABLE(503, "dependency_unavailable"),
    /** Every tier able to take the request's tools, images or structured output failed. */
    CAPABLE_TIERS_UNAVAILABLE(503, "capable_tiers_unavailable");

    private final int status;
    private final String code;

    ErrorCode(int status, String code) {
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
