package io.cato.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cato.budget.LimitExceededException;
import io.cato.dependency.DependencyUnavailableException;
import io.cato.routing.CapableTiersFailedException;
import io.cato.routing.QueryTooLargeException;
import io.cato.routing.UnknownModelException;
import io.cato.routing.UnsupportedCapabilityException;
import io.cato.session.InvalidSessionKeyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place that turns a failure into an HTTP status and a stable error code. */
public final class ErrorResponses {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);
    private final ObjectMapper mapper;

    public ErrorResponses(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public ApiResponse of(Throwable failure) {
        return switch (failure) {
            case ApiException api -> of(api.code(), api.getMessage(), api.param().orElse(null));
            case InvalidSessionKeyException invalid -> of(ErrorCode.INVALID_REQUEST, invalid.getMessage());
            case UnsupportedCapabilityException unsupported ->
                    of(ErrorCode.UNSUPPORTED_PARAMETER, unsupported.getMessage(), unsupported.param());
            case CapableTiersFailedException failed -> of(ErrorCode.CAPABLE_TIERS_UNAVAILABLE, failed.getMessage())
                    .withHeader("retry-after", "1");
            case LimitExceededException limited -> RateLimitHeaders.refusal(of(RateLimitHeaders.codeOf(limited),
                    limited.getMessage()), limited);
            case UnknownModelException unknown -> of(ErrorCode.UNKNOWN_MODEL, "model '" + unknown.model()
                    + "' is neither a deployed tier nor \"auto\"");
            case QueryTooLargeException large -> of(ErrorCode.QUERY_TOO_LARGE, large.getMessage()
                    + " (send it without a session, or shorten it)");
            case DependencyUnavailableException dep -> {
                LOG.warn("dependency unavailable: {} ({})", dep.dependency(), String.valueOf(dep.getCause()));
                yield of(ErrorCode.DEPENDENCY_UNAVAILABLE, dep.dependency() + " is unavailable, retry later")
                        .withHeader("retry-after", "1");
            }
            default -> {
                LOG.error("unexpected failure: " + failure.getClass().getName(), failure);
                yield of(ErrorCode.INTERNAL, "internal error");
            }
        };
    }

    public ApiResponse of(ErrorCode code, String message) {
        return of(code, message, null);
    }

    /**
     * {@code {error:{code, message, type, param}}}: Cato's stable code, and OpenAI's {@code type} and
     * {@code param}, which OpenAI SDKs read.
     */
    public ApiResponse of(ErrorCode code, String message, String param) {
        ObjectNode root = mapper.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("code", code.code());
        error.put("message", message);
        error.put("type", openAiType(code.status()));
        if (param == null) {
            error.putNull("param");
        } else {
            error.put("param", param);
        }
        return ApiResponse.json(code.status(), root.toString());
    }

    private static String openAiType(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 404 -> "not_found_error";
            case 429 -> "rate_limit_error";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
    }

    /**
     * The same failure in Anthropic's shape, {@code {"type":"error","error":{"type", "message"}}}, for the
     * Messages API; Cato's stable code is kept in {@code error.code}.
     */
    public ApiResponse anthropic(Throwable failure) {
        ApiResponse openAi = of(failure);
        com.fasterxml.jackson.databind.JsonNode parsed;
        try {
            parsed = mapper.readTree(openAi.bodyBytes());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ObjectNode root = mapper.createObjectNode().put("type", "error");
        root.putObject("error").put("type", anthropicType(openAi.status()))
                .put("message", parsed.path("error").path("message").asText())
                .put("code", parsed.path("error").path("code").asText());
        ApiResponse response = ApiResponse.json(openAi.status(), root.toString());
        for (var header : openAi.headers().entrySet()) {
            if (!header.getKey().equals("content-type")) {
                response = response.withHeader(header.getKey(), header.getValue());
            }
        }
        return response;
    }

    private static String anthropicType(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 503 -> "overloaded_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    }
}
