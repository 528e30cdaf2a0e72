package io.cato.route;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.cato.api.ApiRequest;
import io.cato.api.ApiResponse;
import io.cato.api.CatoApi;
import io.cato.digest.Sha256;
import io.cato.model.Deadline;
import io.cato.status.MetricsSink;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.crac.Core;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * The {@code route} function: an API Gateway REST proxy event in, Cato's answer out. It only
 * translates; every decision is made by {@link CatoApi}, the same code the local server runs.
 */
public final class RouteHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    /** Time kept back from the function's remaining time to return the response. */
    static final Duration RESPONSE_MARGIN = Duration.ofMillis(500);
    private final CatoApi api;
    private final MetricsSink metrics;
    /** Held here because the CRaC context may keep only a weak reference to its resources. */
    private final RoutePriming priming;

    /**
     * Used by the Lambda runtime: everything is built from the environment, once per environment
     * (SnapStart: once per published version), and primed before the snapshot.
     */
    public RouteHandler() {
        this(RouteWiring.fromProcess());
    }

    RouteHandler(RouteWiring wiring) {
        this.api = wiring.api();
        this.metrics = wiring.metrics();
        this.priming = new RoutePriming(wiring);
        Core.getGlobalContext().register(priming);
    }

    public RouteHandler(CatoApi api) {
        this.api = api;
        this.metrics = MetricsSink.NONE;
        this.priming = null;
    }

    CatoApi api() {
        return api;
    }

    MetricsSink metrics() {
        return metrics;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        // Log lines carry the invocation's request id and cold start (Powertools' JSON layout, log4j2.xml).
        return PowertoolsLogging.withLogging(context, () -> respond(event, context));
    }

    private APIGatewayProxyResponseEvent respond(APIGatewayProxyRequestEvent event, Context context) {
        try {
            ApiRequest request = toRequest(event);
            if (context != null) {
                request = withFunctionDeadline(request, Duration.ofMillis(context.getRemainingTimeInMillis()));
            }
            ApiResponse response = api.handle(request);
            return new APIGatewayProxyResponseEvent()
                    .withStatusCode(response.status())
                    .withHeaders(response.headers())
                    .withBody(new String(response.bodyBytes(), StandardCharsets.UTF_8))
                    .withIsBase64Encoded(false);
        } finally {
            metrics.flush();
        }
    }

    /**
     * The request, to be answered before the function's own time-out ({@code left} from now), with time kept back to
     * hand the answer to the runtime.
     */
    static ApiRequest withFunctionDeadline(ApiRequest request, Duration left) {
        return request.withEdgeDeadline(Deadline.after(left.minus(RESPONSE_MARGIN)));
    }

    /** A stable tenant id for an API key; the key itself is a secret and is never stored. */
    static String tenantOf(String apiKey) {
        return "key-" + Sha256.hexPrefix(apiKey, 8);
    }

    static ApiRequest toRequest(APIGatewayProxyRequestEvent event) {
        Map<String, String> headers = new HashMap<>();
        if (event.getHeaders() != null) {
            event.getHeaders().forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), value));
        }
        var identity = event.getRequestContext() == null ? null : event.getRequestContext().getIdentity();
        // The tenant is whoever API Gateway authenticated by API key, never what the client claims.
        headers.remove("x-cato-tenant");
        Optional.ofNullable(identity).map(APIGatewayProxyRequestEvent.RequestIdentity::getApiKey)
                .filter(key -> !key.isBlank()).ifPresent(key -> headers.put("x-cato-tenant", tenantOf(key)));
        // Limits per API key count the key API Gateway authenticated (by a digest of it), never one the client names.
        headers.remove("x-cato-key-id");
        Optional.ofNullable(identity).map(APIGatewayProxyRequestEvent.RequestIdentity::getApiKey)
                .filter(key -> !key.isBlank()).ifPresent(key -> headers.put("x-api-key", key));
        Optional<String> principal = Optional.ofNullable(identity)
                .map(APIGatewayProxyRequestEvent.RequestIdentity::getUserArn).filter(arn -> !arn.isBlank());
        String body = event.getBody();
        byte[] bytes = body == null ? new byte[0]
                : Boolean.TRUE.equals(event.getIsBase64Encoded()) ? Base64.getDecoder().decode(body)
                : body.getBytes(StandardCharsets.UTF_8);
        return new ApiRequest(event.getHttpMethod(), event.getPath(), headers, bytes, principal);
    }
}
