package io.cato.local;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors the HTTP layer answers before Cato sees the request (a malformed request line, headers
 * too large, a request arriving while the server stops) get the same JSON error shape as
 * everything else, never an HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        if (status == 505) {
            // An unparseable request line is reported as an unsupported version; it is the caller's mistake.
            status = 400;
            response.setStatus(status);
        }
        String code = switch (status) {
            case 400 -> "bad_request";
            case 413 -> "body_too_large";
            case 414 -> "uri_too_long";
            case 431 -> "headers_too_large";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal_error" : "http_error";
        };
        String body = "{\"error\":{\"code\":\"" + code + "\",\"message\":\"the HTTP request was rejected (" + status + ")\"}}";
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        if (status == 503) {
            // The server is stopping: another instance, or this one once restarted, will answer.
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
        }
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }
}
