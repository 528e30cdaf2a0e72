package io.cato.memory;

import io.cato.digest.Sha256;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One statement in semantic memory, filed under a tenant's domain.
 *
 * @param id derived from tenant, domain and the normalised statement, so writing the same fact
 *     twice (a retried step, a re-run after a partial failure) can never store it twice
 * @param source where the fact came from: {@code conversation} or {@code curiosity}
 * @param sourceRef the turn ({@code tenant#session#seq}) or batch record ({@code jobArn#recordId})
 * @param vector the statement's unit-length embedding, for de-duplication and retrieval
 * @param contradicts ids of stored facts the NLI check found this one contradicting
 */
public record Fact(String id, String tenant, String domain, String statement, String source, String sourceRef,
                   double confidence, Instant createdAt, Instant updatedAt, float[] vector, List<String> contradicts) {

    public static final String FROM_CONVERSATION = "conversation";
    public static final String FROM_CURIOSITY = "curiosity";

    public Fact {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(statement, "statement");
        Objects.requireNonNull(vector, "vector");
        contradicts = List.copyOf(contradicts);
    }

    /** The id a statement gets in a tenant's domain: equal for statements that differ only in case, spacing or a final stop. */
    public static String idFor(String tenant, String domain, String statement) {
        String normalised = statement.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").replaceAll("[.!]+$", "");
        return Sha256.hexPrefix(tenant + '\u0000' + domain + '\u0000' + normalised, 16);
    }

    /** The partition a fact lives in. */
    public static String scope(String tenant, String domain) {
        return tenant + "#" + domain;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fact f && id.equals(f.id) && tenant.equals(f.tenant) && domain.equals(f.domain)
                && statement.equals(f.statement) && Objects.equals(source, f.source)
                && Objects.equals(sourceRef, f.sourceRef) && confidence == f.confidence
                && Objects.equals(createdAt, f.createdAt) && Objects.equals(updatedAt, f.updatedAt)
                && Arrays.equals(vector, f.vector) && contradicts.equals(f.contradicts);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "Fact[" + id + ", " + tenant + "/" + domain + ", source=" + source + "]";
    }

    /**
     * Starts a fact named part by named part. Unless set, it contradicts no stored fact.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects the parts of a fact by name. */
    public static final class Builder {
        private String id;
        private String tenant;
        private String domain;
        private String statement;
        private String source;
        private String sourceRef;
        private double confidence;
        private Instant createdAt;
        private Instant updatedAt;
        private float[] vector;
        private List<String> contradicts = List.of();

        private Builder() {
        }

        public Builder id(String value) {
            this.id = value;
            return this;
        }

        public Builder tenant(String value) {
            this.tenant = value;
            return this;
        }

        public Builder domain(String value) {
            this.domain = value;
            return this;
        }

        public Builder statement(String value) {
            this.statement = value;
            return this;
        }

        public Builder source(String value) {
            this.source = value;
            return this;
        }

        public Builder sourceRef(String value) {
            this.sourceRef = value;
            return this;
        }

        public Builder confidence(double value) {
            this.confidence = value;
            return this;
        }

        public Builder createdAt(Instant value) {
            this.createdAt = value;
            return this;
        }

        public Builder updatedAt(Instant value) {
            this.updatedAt = value;
            return this;
        }

        public Builder vector(float[] value) {
            this.vector = value;
            return this;
        }

        public Builder contradicts(List<String> value) {
            this.contradicts = value;
            return this;
        }

        public Fact build() {
            return new Fact(id, tenant, domain, statement, source, sourceRef, confidence, createdAt, updatedAt, vector,
                    contradicts);
        }
    }
}
