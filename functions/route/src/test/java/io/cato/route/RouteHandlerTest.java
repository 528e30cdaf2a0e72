package io.cato.route;

import io.cato.config.SettingsLoader;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.cato.aws.dynamodb.DynamoDbSessionStore;
import io.cato.aws.testing.DynamoDbLocal;
import io.cato.config.Settings;
import io.cato.session.Turn;
import io.cato.testing.OneMinute;
import io.cato.testing.OpenAiStub;
import java.util.Optional;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Replays the sample API Gateway events under events/ through the handler, against DynamoDB Local. */
class RouteHandlerTest {
    private static final DynamoDbLocal DYNAMO = new DynamoDbLocal();
    private static final ObjectMapper EVENTS = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.LOWER_CAMEL_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private final OpenAiStub model = new OpenAiStub().answering("Hello from the model").delay(Duration.ofMillis(100));
    private Settings.Tables tables;

    @BeforeEach
    void freshTables() {
        tables = DYNAMO.freshTables();
    }

    @AfterEach
    void stopModel() {
        model.close();
    }

    @AfterAll
    static void stop() {
        DYNAMO.close();
    }

    private RouteHandler handler(boolean withModel) {
        return handler(withModel, Map.of());
    }

    private RouteHandler handler(boolean withModel, Map<String, String> more) {
        Map<String, String> env = new HashMap<>(Map.of(
                "CATO_AWS_ENDPOINT", DYNAMO.endpoint().toString(),
                "AWS_REGION", "us-east-1",
                "CATO_SESSIONS_TABLE", tables.sessions(),
                "CATO_IDEMPOTENCY_TABLE", tables.idempotency(),
                "CATO_BREAKERS_TABLE", tables.breakers(),
                "CATO_BUDGETS_TABLE", tables.budgets()));
        env.putAll(more);
        if (withModel) {
            env.put("CATO_TIER_SHADOW_BASE_URL", model.baseUrl().toString());
        }
        return new RouteHandler(new RouteWiring(new SettingsLoader(env).load(Optional.empty())).api());
    }

    private static APIGatewayProxyRequestEvent event(String name) throws IOException {
        return EVENTS.readValue(Files.readString(Path.of("events", name)), APIGatewayProxyRequestEvent.class);
    }

    @Test
    void sessionEvents_rememberTheNameWithinTheApiKeysTenant() throws IOException {
        RouteHandler handler = handler(false);

        handler.handleRequest(event("query.json"), null);
        APIGatewayProxyResponseEvent followUp = handler.handleRequest(event("query-followup.json"), null);

        assertThat(followUp.getStatusCode()).isEqualTo(200);
        assertThat(followUp.getBody()).contains("Alice").contains("\"model\":\"memory\"");
        var stored = new DynamoDbSessionStore(DYNAMO.client(), tables.sessions(), Duration.ofDays(1))
                .latest(RouteHandler.tenantOf("sample-api-key-acme") + "#sample-session", 10);
        assertThat(stored).extracting(Turn::query).containsExactly("My name is Alice", "What is my name?");
    }

    @Test
    void repeatedEventWithIdempotencyKey_callsTheModelOnceAndReplaysTheBody() throws IOException {
        RouteHandler handler = handler(true);

        APIGatewayProxyResponseEvent first = handler.handleRequest(event("query.json"), null);
        APIGatewayProxyResponseEvent second = handler.handleRequest(event("query.json"), null);

        assertThat(first.getBody()).contains("Hello from the model");
        assertThat(second.getBody()).isEqualTo(first.getBody());
        assertThat(second.getHeaders()).containsEntry("idempotent-replayed", "true");
        assertThat(model.calls()).isEqualTo(1);
    }

    @Test
    void chatCompletionEvent_answersInOpenAiShape() throws IOException {
        APIGatewayProxyResponseEvent response = handler(true).handleRequest(event("chat-completions.json"), null);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getBody()).contains("\"object\":\"chat.completion\"", "Hello from the model");
    }

    @Test
    void malformedEvent_is400AndWritesNothing() throws IOException {
        APIGatewayProxyResponseEvent response = handler(true).handleRequest(event("malformed.json"), null);

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getBody()).contains("\"code\":\"invalid_json\"");
        assertThat(DYNAMO.client().scan(s -> s.tableName(tables.sessions())).count()).isZero();
        assertThat(model.calls()).isZero();
    }

    @Test
    void adminEvent_isServedForIamCallersOnly() throws IOException {
        RouteHandler handler = handler(false);
        APIGatewayProxyRequestEvent withIam = event("admin-status.json");
        APIGatewayProxyRequestEvent anonymous = event("admin-status.json");
        anonymous.getRequestContext().getIdentity().setUserArn(null);

        assertThat(handler.handleRequest(withIam, null).getStatusCode()).isEqualTo(200);
        assertThat(handler.handleRequest(anonymous, null).getStatusCode()).isEqualTo(401);
    }

    @Test
    void anApiKeysLimit_countsTheKeyApiGatewayAuthenticated_whateverKeyIdTheClientNames() {
        RouteHandler handler = handler(true, Map.of("CATO_CONFIG_JSON",
                "{\"budgets\": {\"defaults\": {\"key\": {\"requests_per_minute\": 1}}}}"));

        List<APIGatewayProxyResponseEvent> two = OneMinute.within(attempt -> {
            APIGatewayProxyRequestEvent first = chat("client-key-" + attempt);
            APIGatewayProxyRequestEvent spoofed = chat("client-key-" + attempt);
            spoofed.getHeaders().put("X-Cato-Key-Id", "someone-elses-key");
            return List.of(handler.handleRequest(first, null), handler.handleRequest(spoofed, null));
        });

        assertThat(two.get(0).getStatusCode()).isEqualTo(200);
        assertThat(two.get(0).getHeaders()).containsEntry("x-ratelimit-remaining-requests", "0");
        assertThat(two.get(1).getStatusCode()).isEqualTo(429);
        assertThat(two.get(1).getBody()).contains("\"code\":\"rate_limited\"");
    }

    /** The sample chat completion, sent with another API key. */
    private static APIGatewayProxyRequestEvent chat(String apiKey) {
        try {
            APIGatewayProxyRequestEvent event = event("chat-completions.json");
            event.getRequestContext().getIdentity().setApiKey(apiKey);
            return event;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void tenantHeaderFromTheClient_isIgnored() throws IOException {
        APIGatewayProxyRequestEvent spoofed = event("query.json");
        spoofed.getHeaders().put("X-Cato-Tenant", "someone-else");

        handler(false).handleRequest(spoofed, null);

        var store = new DynamoDbSessionStore(DYNAMO.client(), tables.sessions(), Duration.ofDays(1));
        assertThat(store.latest("someone-else#sample-session", 10)).isEmpty();
        assertThat(store.latest(RouteHandler.tenantOf("sample-api-key-acme") + "#sample-session", 10)).hasSize(1);
    }
}
