package io.cato.session;

import io.cato.model.ChatMessage;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One exchange in a conversation: what the user asked and what Cato answered.
 *
 * @param seq position in the session, 1 for the first turn; gaps never occur
 * @param model the model (or "memory") that produced the answer
 * @param domain the domain the query was asked in; consolidation files the facts it yields there
 * @param verdict the verification of the answer, once the verify workflow has judged it
 * @param exchange when the turn involved tools, its messages in order (the question, the model's tool calls, the
 *     caller's tool results, the answer), so a later request replays them; empty for a plain question and answer
 */
public record Turn(long seq, String query, String answer, String model, Instant at, String domain,
                   Optional<Verdict> verdict, List<ChatMessage> exchange) {

    /** The domain of queries that named none. */
    public static final String DEFAULT_DOMAIN = "general";

    public Turn {
        domain = domain == null || domain.isBlank() ? DEFAULT_DOMAIN : domain;
        Objects.requireNonNull(verdict, "verdict");
        exchange = exchange == null ? List.of() : List.copyOf(exchange);
    }

    public Turn(long seq, String query, String answer, String model, Instant at) {
        this(seq, query, answer, model, at, DEFAULT_DOMAIN, Optional.empty(), List.of());
    }

    /** The same turn with the verify workflow's verdict on its answer. */
    public Turn withVerdict(Verdict value) {
        return new Turn(seq, query, answer, model, at, domain, Optional.of(value), exchange);
    }

    /**
     * Starts a turn named part by named part. Parts left unset: the default domain, no verdict and no exchange.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects the parts of a turn by name. */
    public static final class Builder {
        private long seq;
        private String query;
        private String answer;
        private String model;
        private Instant at;
        private String domain = DEFAULT_DOMAIN;
        private Optional<Verdict> verdict = Optional.empty();
        private List<ChatMessage> exchange = List.of();

        private Builder() {
        }

        public Builder seq(long value) {
            this.seq = value;
            return this;
        }

        public Builder query(String value) {
            this.query = value;
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

        public Builder at(Instant value) {
            this.at = value;
            return this;
        }

        public Builder domain(String value) {
            this.domain = value;
            return this;
        }

        public Builder verdict(Optional<Verdict> value) {
            this.verdict = value;
            return this;
        }

        public Builder exchange(List<ChatMessage> value) {
            this.exchange = value;
            return this;
        }

        public Turn build() {
            return new Turn(seq, query, answer, model, at, domain, verdict, exchange);
        }
    }
}
