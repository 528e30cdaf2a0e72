package io.cato.route;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cato.api.ApiResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * Answers one API Gateway proxy event in the format of API Gateway's streaming Lambda proxy
 * integration: a JSON prelude with the status and headers, eight NUL bytes, then the body as
 * {@link io.cato.api.CatoApi} writes it, flushed event by event. JSON answers take the same path
 * and arrive whole.
 */
final class ProxyStreamResponder {
    static final String CONTENT_TYPE = "application/vnd.awslambda.http-integration-response";
    private static final byte[] DELIMITER = new byte[8];
    private static final Logger LOG = LoggerFactory.getLogger(ProxyStreamResponder.class);

    private final RouteHandler handler;
    private final ObjectMapper events = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.LOWER_CAMEL_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    ProxyStreamResponder(RouteHandler handler) {
        this.handler = handler;
    }

    void answer(LambdaRuntimeApi.Invocation invocation, LambdaRuntimeApi runtime) {
        // Log lines carry the invocation's request id and cold start (Powertools' JSON layout, log4j2.xml).
        PowertoolsLogging.withLogging(new InvocationContext(invocation), () -> {
            try {
                respond(invocation, runtime);
            } finally {
                handler.metrics().flush();
            }
            return null;
        });
    }

    private void respond(LambdaRuntimeApi.Invocation invocation, LambdaRuntimeApi runtime) {
        ApiResponse response;
        try {
            APIGatewayProxyRequestEvent event = events.readValue(invocation.event(), APIGatewayProxyRequestEvent.class);
            // Lambda-Runtime-Deadline-Ms is when Lambda stops this invocation: the request must be answered before.
            Duration left = Duration.ofMillis(invocation.deadlineEpochMs() - System.currentTimeMillis());
            response = handler.api().handle(RouteHandler.withFunctionDeadline(RouteHandler.toRequest(event), left));
        } catch (IOException | RuntimeException e) {
            runtime.invocationError(invocation.requestId(), e);
            return;
        }
        ChunkedResponseStream out = runtime.stream(invocation.requestId(), CONTENT_TYPE);
        try {
            out.write(prelude(response));
            out.write(DELIMITER);
            out.flush();
            response.body().writeTo(out);
            out.close();
        } catch (IOException | RuntimeException e) {
            failQuietly(out, e);
        }
    }

    private byte[] prelude(ApiResponse response) {
        ObjectNode prelude = events.createObjectNode();
        prelude.put("statusCode", response.status());
        ObjectNode headers = prelude.putObject("headers");
        response.headers().forEach(headers::put);
        return prelude.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void failQuietly(ChunkedResponseStream out, Exception cause) {
        try {
            out.fail(cause);
        } catch (IOException | RuntimeException e) {
            // The connection is gone: Lambda ends the invocation as failed on its own.
            LOG.atWarn().log(() -> "streamed response not ended: " + e.getClass().getSimpleName());
        }
    }
}
