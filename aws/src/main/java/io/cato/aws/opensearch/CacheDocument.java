package io.cato.aws.opensearch;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cato.cache.CacheEntry;
import io.cato.cache.CacheScope;
import java.time.Instant;

/**
 * A cache entry as one OpenSearch document. The scope is kept both as its opaque key (the
 * filter) and as its parts, so an entry reads back whole; the encoding travels as base64.
 */
record CacheDocument(
        @JsonProperty(CacheDocument.ID) String id,
        @JsonProperty(CacheDocument.SCOPE) String scope,
        @JsonProperty(CacheDocument.DOMAIN) String domain,
        @JsonProperty(CacheDocument.TENANT) String tenant,
        @JsonProperty(CacheDocument.SCOPE_MODEL) String scopeModel,
        @JsonProperty(CacheDocument.SYSTEM) String system,
        @JsonProperty(CacheDocument.CREATED) long createdMs,
        @JsonProperty(CacheDocument.EXPIRES) long expiresMs,
        @JsonProperty(CacheDocument.VECTOR) float[] vector,
        @JsonProperty(CacheDocument.QUESTION) String question,
        @JsonProperty(CacheDocument.ANSWER) String answer,
        @JsonProperty(CacheDocument.MODEL) String model,
        @JsonProperty(CacheDocument.TIER) String tier,
        @JsonProperty(CacheDocument.ENCODING) byte[] encoding) {

    static final String ID = "id";
    static final String SCOPE = "scope";
    static final String DOMAIN = "domain";
    static final String TENANT = "tenant";
    static final String SCOPE_MODEL = "scope_model";
    static final String SYSTEM = "system";
    static final String CREATED = "created_ms";
    static final String EXPIRES = "expires_ms";
    static final String VECTOR = "vector";
    static final String QUESTION = "question";
    static final String ANSWER = "answer";
    static final String MODEL = "model";
    static final String TIER = "tier";
    static final String ENCODING = "encoding";

    static CacheDocument of(CacheEntry entry) {
        CacheScope scope = entry.scope();
        return new CacheDocument(entry.id(), scope.key(), scope.domain(), scope.tenant(), scope.model(),
                scope.contextHash(), entry.createdAt().toEpochMilli(), entry.expiresAt().toEpochMilli(),
                entry.vector(), entry.question(), entry.answer(), entry.model(), entry.tier(), entry.encoding());
    }

    CacheEntry toEntry() {
        return new CacheEntry(id, new CacheScope(tenant, domain, scopeModel, system), question, answer, model, tier,
                Instant.ofEpochMilli(createdMs), Instant.ofEpochMilli(expiresMs), vector, encoding);
    }
}
