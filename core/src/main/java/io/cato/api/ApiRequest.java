package io.cato.api;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request as the edge (API Gateway or the local server) hands it to Cato.
 *
 * @param headers header names in lower case
 * @param iamPrincipal the caller API Gateway already authenticated with IAM, if any;
 *     the local server never sets it
 */
public record ApiRequest(String method, String path, Map<String, String> headers, byte[] body,
                         Optional<String> iamPrincipal) {

    public ApiRequest {
        method = method.toUpperCase(Locale.ROOT);
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    public static ApiRequest of(String method, String path, Map<String, String> headers, byte[] body) {
        return new ApiRequest(method, path, headers, body, Optional.empty());
    }

    public static ApiRequest json(String method, String path, Map<String, String> headers, String body) {
        var all = new java.util.HashMap<>(headers);
        all.putIfAbsent("content-type", "application/json");
        return of(method, path, all, body.getBytes(StandardCharsets.UTF_8));
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)))
                .map(String::strip)
                .filter(v -> !v.isEmpty());
    }
}
