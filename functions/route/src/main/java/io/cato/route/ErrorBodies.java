package io.cato.route;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The error document Lambda expects from a runtime ({@code errorType}, {@code errorMessage}).
 * Lambda logs it, so it names the exception's type only: an exception's message may quote the
 * event (a JSON parser's does), and prompts and answers never go to the logs.
 */
final class ErrorBodies {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ErrorBodies() {
    }

    static String type(Throwable error) {
        return "Runtime." + error.getClass().getSimpleName();
    }

    static String json(Throwable error) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("errorType", error.getClass().getName());
        body.put("errorMessage", "the invocation failed with " + error.getClass().getSimpleName());
        return body.toString();
    }
}
