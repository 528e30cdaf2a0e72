package io.cato.routing;

import io.cato.budget.Caller;
import io.cato.model.ChatMessage;
import io.cato.model.GenerationOptions;
import io.cato.session.SessionKey;
import java.util.List;
import java.util.Optional;

/**
 * One query to answer, as both APIs describe it.
 *
 * @param session the conversation to read and extend; empty for a stateless request
 * @param history messages the client sent itself (OpenAI clients keep their own history);
 *     used instead of the stored turns when not empty
 * @param model the model the caller asked for: a tier's name pins that tier; empty or an automatic-routing name
 *     ("auto") lets the router choose
 * @param options tools, structured output, images and tool results of the current exchange, sampling settings
 * @param caller who asks, as limits count it: the tenant, its API key and its end user
 */
public record QueryCommand(String tenant, Optional<SessionKey> session, String query, Optional<String> domain,
                           Optional<String> system, List<ChatMessage> history, Optional<Integer> maxTokens,
                           Optional<Double> temperature, Optional<String> model, GenerationOptions options,
                           Caller caller) {

    public QueryCommand {
        history = List.copyOf(history);
        options = options == null ? GenerationOptions.NONE : options;
        caller = caller == null ? Caller.of(tenant) : caller;
        if (!caller.tenant().equals(tenant)) {
            throw new IllegalArgumentException("the caller's tenant must be the query's tenant");
        }
    }

    public static QueryCommand simple(String tenant, SessionKey session, String query) {
        return builder().tenant(tenant).session(Optional.of(session)).query(query).build();
    }

    /** The same query, asked by {@code value} (the API key and end user the edge knows of). */
    public QueryCommand withCaller(Caller value) {
        return toBuilder().caller(value).build();
    }

    /** Whether the answer may be shared through the semantic cache; see {@link GenerationOptions#mayShareAnswer}. */
    public boolean mayShareAnswer() {
        return options.mayShareAnswer();
    }

    /** The options that change a shareable answer; see {@link GenerationOptions#scopeDigestPart}. */
    public String scopeDigestPart() {
        return options.scopeDigestPart();
    }

    /**
     * The system prompt as the cache scope sees it: with the options that change the answer appended, so an answer
     * in one response format is never served for another.
     */
    public String cacheScopeSystem() {
        String digest = scopeDigestPart();
        return digest.isEmpty() ? system.orElse(null) : system.orElse("") + "\u0000options:" + digest;
    }

    /**
     * Whether the answer reads the session's stored turns: a session is given and the client sent no conversation
     * of its own, neither history before its question nor the model's earlier answers after it (a client replaying
     * a tool call with its result carries the conversation itself).
     */
    public boolean readsStoredTurns() {
        return session.isPresent() && history.isEmpty()
                && options.exchange().stream().noneMatch(m -> m.role() == ChatMessage.Role.ASSISTANT);
    }

    /** The same query without a session: answered with the same context, recorded nowhere. */
    public QueryCommand withoutSession() {
        return toBuilder().session(Optional.empty()).build();
    }

    /**
     * Starts a query named part by named part. Parts left unset: no session, domain, system prompt, history, token
     * limit, temperature, requested model or options, and a caller known by its tenant only.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this value's parts, to copy it with some of them changed. */
    public Builder toBuilder() {
        return new Builder().tenant(tenant).session(session).query(query).domain(domain).system(system)
                .history(history).maxTokens(maxTokens).temperature(temperature).model(model).options(options)
                .caller(caller);
    }

    /** Collects the parts of a query by name. */
    public static final class Builder {
        private String tenant;
        private Optional<SessionKey> session = Optional.empty();
        private String query;
        private Optional<String> domain = Optional.empty();
        private Optional<String> system = Optional.empty();
        private List<ChatMessage> history = List.of();
        private Optional<Integer> maxTokens = Optional.empty();
        private Optional<Double> temperature = Optional.empty();
        private Optional<String> model = Optional.empty();
        private GenerationOptions options = GenerationOptions.NONE;
        private Caller caller; // null: the tenant alone

        private Builder() {
        }

        public Builder tenant(String value) {
            this.tenant = value;
            return this;
        }

        public Builder session(Optional<SessionKey> value) {
            this.session = value;
            return this;
        }

        public Builder query(String value) {
            this.query = value;
            return this;
        }

        public Builder domain(Optional<String> value) {
            this.domain = value;
            return this;
        }

        public Builder system(Optional<String> value) {
            this.system = value;
            return this;
        }

        public Builder history(List<ChatMessage> value) {
            this.history = value;
            return this;
        }

        public Builder maxTokens(Optional<Integer> value) {
            this.maxTokens = value;
            return this;
        }

        public Builder temperature(Optional<Double> value) {
            this.temperature = value;
            return this;
        }

        public Builder model(Optional<String> value) {
            this.model = value;
            return this;
        }

        public Builder options(GenerationOptions value) {
            this.options = value;
            return this;
        }

        public Builder caller(Caller value) {
            this.caller = value;
            return this;
        }

        public QueryCommand build() {
            return new QueryCommand(tenant, session, query, domain, system, history, maxTokens, temperature, model,
                    options, caller);
        }
    }
}
