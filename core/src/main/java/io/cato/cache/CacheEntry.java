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
}
