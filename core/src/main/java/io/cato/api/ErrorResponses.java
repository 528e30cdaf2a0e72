package io.cato.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cato.budget.LimitExceededException;
import io.cato.routing.QueryTooLargeException;
import io.cato.routing.UnknownModelException;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The one place that turns a failure into an HTTP status and a stable error code. */
public final class ErrorResponses {
    private static final Logger LOG = Logger.getLogger(ErrorResponses.class.getName());
    private final ObjectMapper mapper;

    public ErrorResponses(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public ApiResponse of(Throwable failure) {
        return switch (failure) {
            case ApiException api -> of(api.code(), api.getMessage());
            case LimitExceededException limited -> RateLimitHeaders.refusal(of(RateLimitHeaders.codeOf(limited),
                    limited.getMessage()), limited);
            case UnknownModelException unknown -> of(ErrorCode.UNKNOWN_MODEL, "model '" + unknown.model()
                    + "' is neither a deployed tier nor \"auto\"");
            case QueryTooLargeException large -> of(ErrorCode.QUERY_TOO_LARGE, large.getMessage()
                    + " (send it without a session, or shorten it)");
            case DependencyUnavailableException dep -> {
                LOG.log(Level.WARNING, "dependency unavailable: {0} ({1})",
                        new Object[] {dep.dependency(), String.valueOf(dep.getCause())});
                yield of(ErrorCode.DEPENDENCY_UNAVAILABLE, dep.dependency() + " is unavailable, retry later")
                        .withHeader("retry-after", "1");
            }
            default -> {
                LOG.log(Level.SEVERE, "unexpected failure: " + failure.getClass().getName(), failure);
                yield of(ErrorCode.INTERNAL, "internal error");
            }
        };
    }

    public ApiResponse of(ErrorCode code, String message) {
        ObjectNode root = mapper.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("code", code.code());
        error.put("message", message);
        return ApiResponse.json(code.status(), root.toString());
    }
}
