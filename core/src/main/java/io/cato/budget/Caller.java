package io.cato.budget;

import java.util.Objects;
import java.util.Optional;

/**
 * Who is asking: the tenant, the API key it used and the end user it asks for. Limits apply to each of the three.
 *
 * @param keyId a stable id of the API key, never the key itself: API Gateway's key id in AWS, a hash of the key
 *     the client sent locally; empty when the request carried no key
 * @param user the tenant's own end user (OpenAI's {@code user} field or the {@code X-Cato-User} header), as the
 *     tenant names it; empty when the request names none
 */
public record Caller(String tenant, Optional<String> keyId, Optional<String> user) {

    public Caller {
        Objects.requireNonNull(tenant, "tenant");
        keyId = keyId.filter(id -> !id.isBlank());
        user = user.filter(id -> !id.isBlank());
    }

    /** A caller known only by its tenant. */
    public static Caller of(String tenant) {
        return new Caller(tenant, Optional.empty(), Optional.empty());
    }
}
