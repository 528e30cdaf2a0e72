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
        return builder().id(entry.id()).scope(scope.key()).domain(scope.domain()).tenant(scope.tenant())
                .scopeModel(scope.model()).system(scope.contextHash()).createdMs(entry.createdAt().toEpochMilli())
                .expiresMs(entry.expiresAt().toEpochMilli()).vector(entry.vector()).question(entry.question())
                .answer(entry.answer()).model(entry.model()).tier(entry.tier()).encoding(entry.encoding()).build();
    }

    CacheEntry toEntry() {
        return CacheEntry.builder().id(id).scope(new CacheScope(tenant, domain, scopeModel, system))
                .question(question).answer(answer).model(model).tier(tier).createdAt(Instant.ofEpochMilli(createdMs))
                .expiresAt(Instant.ofEpochMilli(expiresMs)).vector(vector).encoding(encoding).build();
    }

    /** Starts a cache document named part by named part. */
    static Builder builder() {
        return new Builder();
    }

    /** Collects the parts of a cache document by name. */
    public static final class Builder {
        private String id;
        private String scope;
        private String domain;
        private String tenant;
        private String scopeModel;
        private String system;
        private long createdMs;
        private long expiresMs;
        private float[] vector;
        private String question;
        private String answer;
        private String model;
        private String tier;
        private byte[] encoding;

        private Builder() {
        }

        public Builder id(String value) {
            this.id = value;
            return this;
        }

        public Builder scope(String value) {
            this.scope = value;
            return this;
        }

        public Builder domain(String value) {
            this.domain = value;
            return this;
        }

        public Builder tenant(String value) {
            this.tenant = value;
            return this;
        }

        public Builder scopeModel(String value) {
            this.scopeModel = value;
            return this;
        }

        public Builder system(String value) {
            this.system = value;
            return this;
        }

        public Builder createdMs(long value) {
            this.createdMs = value;
            return this;
        }

        public Builder expiresMs(long value) {
            this.expiresMs = value;
            return this;
        }

        public Builder vector(float[] value) {
            this.vector = value;
            return this;
        }

        public Builder question(String value) {
            this.question = value;
            return this;
        }

        public Builder answer(String value) {
            this.answer = value;
            return this;
        }

        public Builder model(String value) {
            this.model = value;
            return this;
        }

        public Builder tier(String value) {
            this.tier = value;
            return this;
        }

        public Builder encoding(byte[] value) {
            this.encoding = value;
            return this;
        }

        public CacheDocument build() {
            return new CacheDocument(id, scope, domain, tenant, scopeModel, system, createdMs, expiresMs, vector,
                    question, answer, model, tier, encoding);
        }
    }
}
