package io.cato.budget;

import io.cato.digest.Sha256;
import java.util.Locale;

/**
 * What a limit is set on: a tenant, one of its API keys, or one of its end users.
 *
 * @param id the key id or the user's name as the tenant gives it; empty for the tenant itself
 */
public record Scope(Kind kind, String tenant, String id) {

    public enum Kind {
        TENANT, KEY, USER;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static Scope tenant(String tenant) {
        return new Scope(Kind.TENANT, tenant, "");
    }

    public static Scope key(String tenant, String keyId) {
        return new Scope(Kind.KEY, tenant, keyId);
    }

    public static Scope user(String tenant, String user) {
        return new Scope(Kind.USER, tenant, user);
    }

    /**
     * The scope's key in the store. A user's name is stored only as a digest: tenants often name their users by
     * e-mail address, and limits need no more than a stable id.
     */
    public String storageKey() {
        return switch (kind) {
            case TENANT -> "tenant#" + tenant;
            case KEY -> "key#" + tenant + "#" + id;
            case USER -> "user#" + tenant + "#" + digest(id);
        };
    }

    static String digest(String value) {
        return Sha256.hexPrefix(value, 16);
    }
}
