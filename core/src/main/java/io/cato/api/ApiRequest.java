package io.cato.api;

import io.cato.model.Deadline;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request as the edge (API Gateway or the local server) hands it to Cato.
 *
 * @param method the method exactly as sent: methods are case-sensitive, so "post" is not "POST"
 * @param headers header names in lower case
 * @param iamPrincipal the caller API Gateway already authenticated with IAM, if any;
 *     the local server never sets it
 * @param edgeDeadline when the edge itself must have answered (Lambda: the function's time-out), if it knows;
 *     the request's own deadline never runs past it
 */
public record ApiRequest(String method, String path, Map<String, String> headers, byte[] body,
                         Optional<String> iamPrincipal, Optional<Deadline> edgeDeadline) {

    public ApiRequest {
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    public ApiRequest(String method, String path, Map<String, String> headers, byte[] body,
                      Optional<String> iamPrincipal) {
        this(method, path, headers, body, iamPrincipal, Optional.empty());
    }

    public static ApiRequest of(String method, String path, Map<String, String> headers, byte[] body) {
        return new ApiRequest(method, path, headers, body, Optional.empty());
    }

    public static ApiRequest json(String method, String path, Map<String, String> headers, String body) {
        var all = new java.util.HashMap<>(headers);
        all.putIfAbsent("content-type", "application/json");
        return of(method, path, all, body.getBytes(StandardCharsets.UTF_8));
    }

    /** The same request, to be answered before {@code deadline}. */
    public ApiRequest withEdgeDeadline(Deadline deadline) {
        return new ApiRequest(method, path, headers, body, iamPrincipal, Optional.of(deadline));
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)))
                .map(String::strip)
                .filter(v -> !v.isEmpty());
    }
}
