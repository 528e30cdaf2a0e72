package io.cato.load;

/** What each request of a load run asks, and where it is sent. */
enum LoadScenario {
    /** A small set of questions, asked before the run: answered from the exact cache tier. */
    CACHE_HIT("/api/cato/query"),
    /** A new question every time: cache miss, then the model tier. */
    MODEL("/api/cato/query"),
    /** Many sessions, each asking turn after turn, so every request reads and writes its context. */
    SESSIONS("/api/cato/query"),
    /** Stateless questions that go straight to the model tier (no cache, no session). */
    PLAIN("/api/cato/query"),
    /** A new question every time in an OpenAI chat completion, no session: what any OpenAI-compatible gateway takes. */
    CHAT("/v1/chat/completions"),
    /**
     * Chat completions in many conversations ({@code X-Cato-Session}), turn after turn: the first turn of each
     * looks the question up in the cache, the later ones read and extend the conversation.
     */
    CHAT_SESSION("/v1/chat/completions"),
    /** A new question every time, each in a conversation of its own: a cache miss with a session. */
    MODEL_SESSION("/api/cato/query");

    private final String path;

    LoadScenario(String path) {
        this.path = path;
    }

    static LoadScenario named(String name) {
        return valueOf(name.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    }

    String path() {
        return path;
    }

    /** The body of the request with sequence number {@code n}, among {@code sessions} conversations. */
    String body(long n, int sessions) {
        return switch (this) {
            case CACHE_HIT -> "{\"query\":\"What is the capital of country number " + (n % 20) + "?\"}";
            case MODEL, PLAIN -> "{\"query\":\"Explain load test question number " + n + " in two sentences.\"}";
            case SESSIONS -> "{\"query\":\"Turn " + (n / sessions) + ": tell me more about topic " + (n % 7)
                    + ".\",\"session_id\":\"load-" + (n % sessions) + "\"}";
            case MODEL_SESSION -> "{\"query\":\"Explain load test question number " + n
                    + " in two sentences.\",\"session_id\":\"miss-" + n + "\"}";
            case CHAT, CHAT_SESSION -> "{\"model\":\"auto\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\","
                    + "\"content\":\"Explain load test question number " + n + " in two sentences.\"}]}";
        };
    }

    /** The conversation a request belongs to, sent as {@code X-Cato-Session}; null when it belongs to none. */
    String session(long n, int sessions) {
        return this == CHAT_SESSION ? "load-" + (n % sessions) : null;
    }
}
