package io.cato.route;

import io.cato.config.SettingsLoader;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.cato.aws.dynamodb.DynamoDbSessionStore;
import io.cato.aws.testing.DynamoDbLocal;
import io.cato.config.Settings;
import io.cato.session.Turn;
import io.cato.testing.OpenAiStub;
import java.util.Optional;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Lambda Managed Instances run one handler for many concurrent requests of one environment. One
 * {@link RouteHandler}, against DynamoDB Local, serves 64 conversations at once, and 64 racing
 * duplicates of idempotent requests: every conversation keeps all its turns in order and sees only
 * its own context, and every idempotency key reaches the model once.
 */
class RouteHandlerConcurrencyTest {
    private static final DynamoDbLocal DYNAMO = new DynamoDbLocal();
    private static final int CONVERSATIONS = 64;
    private static final int TURNS = 3;
    private static final int KEYS = 16;
    private static final int DUPLICATES = 4;

    /** A model that takes 1.5 s, as a real one does: the requests are in flight together while they wait. */
    private final OpenAiStub model = new OpenAiStub().answering("Noted.").delay(Duration.ofMillis(1500));
    private final Settings.Tables tables = DYNAMO.freshTables();
    private final ExecutorService threads = Executors.newFixedThreadPool(Math.max(CONVERSATIONS, KEYS * DUPLICATES));

    @AfterEach
    void stop() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
        model.close();
    }

    @AfterAll
    static void stopDynamo() {
        DYNAMO.close();
    }

    private RouteHandler sharedHandler() {
        Map<String, String> env = new HashMap<>(Map.of(
                "CATO_AWS_ENDPOINT", DYNAMO.endpoint().toString(),
                "AWS_REGION", "us-east-1",
                "CATO_SESSIONS_TABLE", tables.sessions(),
                "CATO_IDEMPOTENCY_TABLE", tables.idempotency(),
                "CATO_BREAKERS_TABLE", tables.breakers(),
                "CATO_MEMORY_TABLE", tables.memory(),
                "CATO_TIER_SHADOW_BASE_URL", model.baseUrl().toString()));
        return new RouteHandler(new RouteWiring(new SettingsLoader(env).load(Optional.empty())));
    }

    private static APIGatewayProxyRequestEvent query(String apiKey, String session, String text, String idempotencyKey) {
        Map<String, String> headers = new HashMap<>(Map.of("Content-Type", "application/json"));
        if (idempotencyKey != null) {
            headers.put("Idempotency-Key", idempotencyKey);
        }
        var identity = new APIGatewayProxyRequestEvent.RequestIdentity();
        identity.setApiKey(apiKey);
        var context = new APIGatewayProxyRequestEvent.ProxyRequestContext();
        context.setIdentity(identity);
        return new APIGatewayProxyRequestEvent().withHttpMethod("POST").withPath("/api/cato/query")
                .withHeaders(headers).withRequestContext(context)
                .withBody("{\"query\":\"" + text + "\",\"session_id\":\"" + session + "\"}");
    }

    private static String turn(int conversation, int turn) {
        return "turn " + turn + " of conversation " + conversation + ".";
    }

    @Test
    void oneHandlerServing64ConversationsAtOnce_keepsEveryTurnInOrderAndEachContextToItself() throws Exception {
        RouteHandler handler = sharedHandler();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<APIGatewayProxyResponseEvent>>> conversations = new ArrayList<>();
        for (int c = 0; c < CONVERSATIONS; c++) {
            int conversation = c;
            conversations.add(threads.submit(() -> {
                start.await();
                List<APIGatewayProxyResponseEvent> answers = new ArrayList<>();
                for (int t = 0; t < TURNS; t++) {
                    answers.add(handler.handleRequest(query("key-" + conversation % 8, "s" + conversation,
                            turn(conversation, t), null), null));
                }
                return answers;
            }));
        }
        start.countDown();

        for (Future<List<APIGatewayProxyResponseEvent>> answers : conversations) {
            assertThat(answers.get(180, TimeUnit.SECONDS)).allSatisfy(a -> assertThat(a.getStatusCode())
                    .as(a.getBody()).isEqualTo(200));
        }
        var sessions = new DynamoDbSessionStore(DYNAMO.client(), tables.sessions(), Duration.ofDays(1));
        for (int c = 0; c < CONVERSATIONS; c++) {
            int conversation = c;
            List<Turn> stored = sessions.latest(RouteHandler.tenantOf("key-" + c % 8) + "#s" + c, 10);
            assertThat(stored).as("%s", stored).extracting(Turn::query)
                    .containsExactlyElementsOf(IntStream.range(0, TURNS).mapToObj(t -> turn(conversation, t)).toList());
        }
        // Each last turn's model call carried its own conversation's earlier turns and no other conversation's.
        int lastTurns = 0;
        for (String body : model.requestBodies()) {
            for (int c = 0; c < CONVERSATIONS; c++) {
                if (body.contains(turn(c, TURNS - 1))) {
                    lastTurns++;
                    assertThat(body).contains(turn(c, 0), turn(c, 1));
                    assertThat(body).doesNotContain(turn((c + 1) % CONVERSATIONS, 0));
                }
            }
        }
        assertThat(lastTurns).isEqualTo(CONVERSATIONS);
        assertThat(model.calls()).isEqualTo(CONVERSATIONS * TURNS);
    }

    @Test
    void racingDuplicatesOfIdempotentRequests_reachTheModelOncePerKey() throws Exception {
        RouteHandler handler = sharedHandler();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<APIGatewayProxyResponseEvent>> duplicates = new ArrayList<>();
        for (int k = 0; k < KEYS; k++) {
            for (int d = 0; d < DUPLICATES; d++) {
                int key = k;
                duplicates.add(threads.submit(() -> {
                    start.await();
                    return handler.handleRequest(query("key-idem", "idem-" + key, "idempotent question " + key + ".",
                            "idem-key-" + key), null);
                }));
            }
        }
        start.countDown();
        List<APIGatewayProxyResponseEvent> raced = new ArrayList<>();
        for (Future<APIGatewayProxyResponseEvent> answer : duplicates) {
            raced.add(answer.get(180, TimeUnit.SECONDS));
        }

        // Per key: one answer from the model; the racing duplicates were refused as in progress or replayed it.
        for (int k = 0; k < KEYS; k++) {
            List<APIGatewayProxyResponseEvent> forKey = raced.subList(k * DUPLICATES, (k + 1) * DUPLICATES);
            assertThat(forKey).allSatisfy(a -> assertThat(a.getStatusCode()).as(a.getBody()).isIn(200, 409));
            List<APIGatewayProxyResponseEvent> original = forKey.stream().filter(a -> a.getStatusCode() == 200
                    && !"true".equals(a.getHeaders().get("idempotent-replayed"))).toList();
            assertThat(original).as("key %d: %s", k, forKey).hasSize(1);
            forKey.stream().filter(a -> a.getStatusCode() == 200)
                    .forEach(a -> assertThat(a.getBody()).isEqualTo(original.getFirst().getBody()));
            forKey.stream().filter(a -> a.getStatusCode() == 409)
                    .forEach(a -> assertThat(a.getBody()).contains("idempotency_in_progress"));
        }
        assertThat(model.calls()).isEqualTo(KEYS);
    }
}
