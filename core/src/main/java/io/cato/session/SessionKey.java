package io.cato.session;

import java.util.regex.Pattern;

/** A conversation's identity: the tenant it belongs to and the id the client chose. */
public record SessionKey(String tenant, String sessionId) {
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");

    public SessionKey {
        requireValid("tenant", tenant);
        requireValid("session_id", sessionId);
    }

    private static void requireValid(String field, String value) {
        if (value == null || !ALLOWED.matcher(value).matches()) {
            throw new InvalidSessionKeyException(field,
                    field + " must be 1-128 characters of letters, digits and . _ : @ -");
        }
    }

    /** The partition key the stores use; '#' never occurs in either part. */
    public String storageKey() {
        return tenant + "#" + sessionId;
    }
}
