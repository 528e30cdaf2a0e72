package io.cato.cache;

import io.cato.embedding.EncodedQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One cached answer as the vector index keeps it: the question's pooled vector for the
 * neighbour search, and its full encoding so the duplicate verifier can judge a lookup without
 * encoding the stored question again.
 *
 * @param id stable id of the entry, the same in the exact and the vector tier
 * @param tier the tier that produced the answer
 * @param encoding {@link EncodedQuery#writeTo} form of the question
 */
public record CacheEntry(String id, CacheScope scope, String question, String answer, String model, String tier,
                         Instant createdAt, Instant expiresAt, float[] vector, byte[] encoding) {

    public CacheEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(answer, "answer");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(vector, "vector");
        Objects.requireNonNull(encoding, "encoding");
    }

    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    public Duration age(Instant now) {
        return Duration.between(createdAt, now).isNegative() ? Duration.ZERO : Duration.between(createdAt, now);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CacheEntry e && id.equals(e.id) && scope.equals(e.scope) && question.equals(e.question)
                && answer.equals(e.answer) && Objects.equals(model, e.model) && Objects.equals(tier, e.tier)
                && createdAt.equals(e.createdAt) && expiresAt.equals(e.expiresAt) && Arrays.equals(vector, e.vector)
                && Arrays.equals(encoding, e.encoding);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "CacheEntry[" + id + ", domain=" + scope.domain() + ", created=" + createdAt + "]";
    }

    /** Starts a cache entry named part by named part. */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects the parts of a cache entry by name. */
    public static final class Builder {
        private String id;
        private CacheScope scope;
        private String question;
        private String answer;
        private String model;
        private String tier;
        private Instant createdAt;
        private Instant expiresAt;
        private float[] vector;
        private byte[] encoding;

        private Builder() {
        }

        public Builder id(String value) {
            this.id = value;
            return this;
        }

        public Builder scope(CacheScope value) {
            this.scope = value;
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

        public Builder createdAt(Instant value) {
            this.createdAt = value;
            return this;
        }

        public Builder expiresAt(Instant value) {
            this.expiresAt = value;
            return this;
        }

        public Builder vector(float[] value) {
            this.vector = value;
            return this;
        }

        public Builder encoding(byte[] value) {
            this.encoding = value;
            return this;
        }

        public CacheEntry build() {
            return new CacheEntry(id, scope, question, answer, model, tier, createdAt, expiresAt, vector, encoding);
        }
    }
}
