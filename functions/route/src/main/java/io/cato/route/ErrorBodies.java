package io.cato.route;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The error document Lambda expects from a runtime ({@code errorType}, {@code errorMessage}).
 * It carries the exception's type and message only: never a prompt, an answer or a stack trace.
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
        body.put("errorMessage", error.getMessage() == null ? "" : error.getMessage());
        return body.toString();
    }
}
