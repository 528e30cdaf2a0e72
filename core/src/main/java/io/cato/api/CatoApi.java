package io.cato.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.breaker.CircuitBreakers;
import io.cato.budget.LimitExceededException;
import io.cato.model.Deadline;
import io.cato.rollout.RolloutDecider;
import io.cato.rollout.RolloutFlag;
import io.cato.routing.Orchestrator;
import io.cato.routing.Tiers;
import io.cato.session.InvalidSessionKeyException;
import io.cato.status.HealthCheck;
import io.cato.status.ServiceStats;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Cato's HTTP API, independent of where it runs: the Lambda handler and the local server both
 * hand every request to {@link #handle} and write back what it returns. It never throws.
 */
public final class CatoApi {
    public static final String DEFAULT_TENANT = "default";
    private static final Pattern TRAILING_SLASHES = Pattern.compile("/+$");
    /** Paths that name the same operation as another; idempotency keys are scoped by the operation. */
    private static final java.util.Map<String, String> ALIASES = java.util.Map.of(
            "/chat/completions", "/v1/chat/completions", "/messages", "/v1/messages", "/models", "/v1/models");
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /**
     * How long a request may take, from the moment it is handed in: a whole answer, or a streamed one (whose chunks
     * must still come no further apart than the answering tier's time-out). An edge that must answer sooner (Lambda,
     * before the function's time-out) sets an earlier deadline on the request itself.
     */
    public record Deadlines(Duration whole, Duration streamed) {
        public static Deadlines of(Duration whole) {
            return new Deadlines(whole, whole);
        }
    }

    private final ApiParts parts;
    private final RequestReader reader;
    private final ErrorResponses errors;
    private final RolloutDecider rollout;
    private final QueryEndpoint query;
    private final ChatCompletionsEndpoint chat;
    private final MessagesEndpoint messages;
    private final ModelsEndpoint models;
    private final AdminEndpoints admin;
    private final LimitsEndpoint limits;
    private final java.util.Map<String, AdminAction> adminActions;

    /**
     * An operation a deployment adds under {@code POST /api/admin/cato/<name>}, behind the admin
     * token; it takes the JSON body and returns the JSON result.
     */
    public record AdminAction(String name, java.util.function.Function<JsonNode, JsonNode> run) {
    }

    public CatoApi(ApiParts parts) {
        this(parts, List.of());
    }

    public CatoApi(ApiParts parts, List<AdminAction> adminActions) {
        this.adminActions = adminActions.stream()
                .collect(java.util.stream.Collectors.toUnmodifiableMap(a -> "/api/admin/cato/" + a.name(), a -> a));
        this.parts = parts;
        this.reader = new RequestReader(parts.mapper(), parts.maxBodyBytes());
        this.errors = new ErrorResponses(parts.mapper());
        this.rollout = new RolloutDecider(parts.rollout());
        this.query = new QueryEndpoint(parts.mapper(), parts.orchestrator());
        this.chat = new ChatCompletionsEndpoint(parts.mapper(), parts.orchestrator(), parts.clock());
        this.messages = new MessagesEndpoint(parts.mapper(), parts.orchestrator(), errors);
        this.models = new ModelsEndpoint(parts.mapper(), parts.tiers().chain(),
                parts.orchestrator().router().settings().autoModels(), parts.clock().instant().getEpochSecond());
        this.admin = new AdminEndpoints(parts.mapper(), parts.healthChecks(), parts.stats(), parts.rollout(),
                parts.tiers().chain(), parts.breakers(), parts.orchestrator().cache(),
                parts.orchestrator().budgets());
        this.limits = new LimitsEndpoint(parts.mapper(), parts.orchestrator().budgets(), parts.tiers().chain());
    }

    public ApiResponse handle(ApiRequest request) {
        try {
            return route(request);
        } catch (RuntimeException e) {
            if (e instanceof ApiException api && api.code().status() < 500 || e instanceof LimitExceededException
                    || e instanceof InvalidSessionKeyException) {
                parts.stats().recordRejected();
            }
            return isMessagesApi(request.path()) ? errors.anthropic(e) : errors.of(e);
        }
    }

    private static boolean isMessagesApi(String path) {
        return path.startsWith("/v1/messages") || path.startsWith("/messages");
    }

    public ErrorResponses errors() {
        return errors;
    }

    /** The operation a path names: trailing slashes and aliases do not make another one. */
    static String operation(String path) {
        String trimmed = path.length() > 1 ? TRAILING_SLASHES.matcher(path).replaceAll("") : path;
        String canonical = trimmed.isEmpty() ? "/" : trimmed;
        return ALIASES.getOrDefault(canonical, canonical);
    }

    private ApiResponse route(ApiRequest request) {
        String path = operation(request.path());
        return switch (path) {
            case "/api/cato/query" -> post(request, () -> query(path, request));
            case "/v1/chat/completions" -> post(request, () -> chat(path, request));
            case "/v1/messages" -> post(request, () -> messages(path, request));
            case "/v1/models" -> open(request, models::list);
            case "/api/admin/cato/health" -> get(request, admin::health);
            case "/api/admin/cato/status" -> get(request, admin::status);
            case "/api/admin/cato/cache/purge" -> post(request, () -> {
                parts.adminAuth().require(request);
                return admin.purgeCache(reader.jsonObject(request));
            });
            case "/api/admin/cato/limits" -> {
                parts.adminAuth().require(request);
                yield limits.handle(request.method(), reader.jsonObject(request));
            }
            default -> {
                if (path.startsWith("/v1/models/") || path.startsWith("/models/")) {
                    yield open(request, () -> models.one(path.substring(path.indexOf("/models/") + 8)));
                }
                notOffered(path);
                AdminAction action = adminActions.get(path);
                if (action == null) {
                    throw new ApiException(ErrorCode.NOT_FOUND, "no such route");
                }
                yield post(request, () -> {
                    parts.adminAuth().require(request);
                    JsonNode body = request.body().length == 0 ? parts.mapper().createObjectNode()
                            : reader.jsonObject(request);
                    return ApiResponse.json(200, action.run().apply(body).toString());
                });
            }
        };
    }

    private static ApiResponse post(ApiRequest request, Supplier<ApiResponse> action) {
        if (!request.method().equals("POST")) {
            throw new ApiException(ErrorCode.METHOD_NOT_ALLOWED, "use POST");
        }
        return action.get();
    }

    /** OpenAI and Anthropic APIs Cato does not serve, answered with a code that says so rather than a bare 404. */
    private static void notOffered(String path) {
        String api = path.replaceFirst("^/v1/", "/");
        String what = api.startsWith("/embeddings") ? "the embeddings API"
                : api.startsWith("/responses") ? "the Responses API"
                : api.equals("/completions") ? "the legacy completions API"
                : api.startsWith("/messages/") ? "this part of the Messages API"
                : null;
        if (what != null) {
            throw new ApiException(ErrorCode.ENDPOINT_NOT_OFFERED, "Cato does not offer " + what
                    + "; it serves /v1/chat/completions, /v1/messages and /v1/models");
        }
    }

    /** A read anyone who may query may make (no admin token). */
    private static ApiResponse open(ApiRequest request, Supplier<ApiResponse> action) {
        if (!request.method().equals("GET")) {
            throw new ApiException(ErrorCode.METHOD_NOT_ALLOWED, "use GET");
        }
        return action.get();
    }

    private ApiResponse get(ApiRequest request, Supplier<ApiResponse> action) {
        if (!request.method().equals("GET")) {
            throw new ApiException(ErrorCode.METHOD_NOT_ALLOWED, "use GET");
        }
        parts.adminAuth().require(request);
        return action.get();
    }

    private ApiResponse query(String operation, ApiRequest request) {
        String tenant = tenant(request);
        JsonNode body = reader.jsonObject(request);
        var command = query.parse(tenant, request, body).withCaller(Callers.of(tenant, request, body));
        Deadline deadline = deadlineFor(request, false);
        Optional<String> key = parts.idempotency().keyOf(request);
        Optional<LegacyRoute> legacy = legacyFor(command.session().map(s -> s.storageKey()));
        Supplier<ApiResponse> work = legacy.isPresent()
                ? () -> { parts.stats().recordLegacy(); return query.serveLegacy(command, legacy.get(), deadline); }
                : () -> query.serve(command, deadline);
        return key.map(k -> parts.idempotency().run(tenant, operation, k, request, deadline, work)).orElseGet(work);
    }

    private ApiResponse chat(String operation, ApiRequest request) {
        String tenant = tenant(request);
        JsonNode body = reader.jsonObject(request);
        Optional<String> key = parts.idempotency().keyOf(request);
        Optional<LegacyRoute> legacy = legacyFor(chat.session(tenant, request, body).map(s -> s.storageKey()));
        // Requests still going to the legacy proxy are forwarded unchanged, as before: only what Cato answers
        // is held to the fields Cato honours.
        var parsed = legacy.isPresent() ? null : chat.parse(tenant, request, body).by(Callers.of(tenant, request, body));
        Deadline deadline = deadlineFor(request, parsed == null ? body.path("stream").asBoolean(false) : parsed.stream());
        Supplier<ApiResponse> work = legacy.isPresent()
                ? () -> { parts.stats().recordLegacy(); return legacy.get().forwardChatCompletion(request); }
                : () -> chat.serve(parsed, deadline);
        return key.map(k -> parts.idempotency().run(tenant, operation, k, request, deadline, work)).orElseGet(work);
    }

    /** The request's deadline: its own budget from now, or the edge's deadline when that comes first. */
    private Deadline deadlineFor(ApiRequest request, boolean streamed) {
        Duration budget = streamed ? parts.deadlines().streamed() : parts.deadlines().whole();
        return request.edgeDeadline().map(edge -> edge.within(budget)).orElseGet(() -> Deadline.after(budget));
    }

    /** Anthropic's Messages API is always answered by Cato: the legacy proxy speaks OpenAI's API only. */
    private ApiResponse messages(String operation, ApiRequest request) {
        String tenant = tenant(request);
        JsonNode body = reader.jsonObject(request);
        var parsed = AnthropicRequests.parse(tenant, request, body).by(Callers.of(tenant, request, body));
        Deadline deadline = deadlineFor(request, parsed.stream());
        Optional<String> key = parts.idempotency().keyOf(request);
        Supplier<ApiResponse> work = () -> messages.serve(parsed, deadline);
        return key.map(k -> parts.idempotency().run(tenant, operation, k, request, deadline, work)).orElseGet(work);
    }

    private Optional<LegacyRoute> legacyFor(Optional<String> stickyKey) {
        return parts.legacy().filter(route -> !rollout.toCato(stickyKey));
    }

    private static String tenant(ApiRequest request) {
        String tenant = request.header("x-cato-tenant").orElse(DEFAULT_TENANT);
        if (!TENANT.matcher(tenant).matches()) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "X-Cato-Tenant must be 1-64 letters, digits, . _ -");
        }
        return tenant;
    }
}
