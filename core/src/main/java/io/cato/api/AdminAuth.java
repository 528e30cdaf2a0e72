package io.cato.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Guards the admin endpoints: a bearer token, or an IAM principal that API Gateway has
 * already authenticated. Tokens are compared in constant time.
 */
public final class AdminAuth {
    private final Optional<byte[]> token;

    /** @param token the expected bearer token; empty allows IAM-authenticated callers only */
    public AdminAuth(Optional<String> token) {
        this.token = token.filter(t -> !t.isBlank()).map(t -> t.getBytes(StandardCharsets.UTF_8));
    }

    public void require(ApiRequest request) {
        if (request.iamPrincipal().isPresent()) {
            return;
        }
        String header = request.header("authorization")
                .orElseThrow(() -> new ApiException(ErrorCode.MISSING_CREDENTIALS, "admin endpoints need a bearer token"));
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiException(ErrorCode.MISSING_CREDENTIALS, "admin endpoints need an Authorization: Bearer header");
        }
        byte[] given = header.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        if (token.isEmpty() || !MessageDigest.isEqual(token.get(), given)) {
            throw new ApiException(ErrorCode.INVALID_CREDENTIALS, "the bearer token is not valid");
        }
    }
}
