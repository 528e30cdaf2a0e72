package io.cato.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.cato.api.CatoApi;
import io.cato.config.Json;
import io.cato.aws.AwsClients;
import io.cato.aws.DynamoDbComponents;
import io.cato.aws.ModelClients;
import io.cato.aws.dynamodb.CatoTables;
import io.cato.aws.dynamodb.DynamoDbSessionStore;
import io.cato.config.Settings;
import io.cato.config.SettingsLoader;
import io.cato.local.LocalServer;
import io.cato.rollout.FixedRolloutFlag;
import io.cato.session.Turn;
import io.cato.testing.OpenAiStub;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * DynamoDB goes away in the middle of a run and comes back on the same address: callers get a 503
 * with a code while it is gone, nothing half-written is left, and serving resumes on its own.
 */
class DynamoDbOutageTest {
    private static final String QUERY = "/api/cato/query";

    @Test
    void dynamoDbStoppedAndRestarted_503sWhileDown_noPartialWrites_andServiceResumesByItself(@TempDir Path dir)
            throws Exception {
        int port = freePort();
        Path db = dir.resolve("dynamodb");
        java.nio.file.Files.createDirectories(db);
        DynamoDBProxyServer dynamoDb = startDynamoDb(db, port);
        try (OpenAiStub model = new OpenAiStub().answering("an answer");
             DynamoDbClient dynamo = new AwsClients(Region.US_EAST_1, Optional.of(URI.create("http://127.0.0.1:" + port)))
                     .dynamoDb()) {
            Settings settings = new SettingsLoader(Map.of("CATO_CACHE_ENABLED", "false", "CATO_ADMIN_TOKEN", "t",
                    "CATO_TIER_SHADOW_BASE_URL", model.baseUrl().toString())).load(Optional.empty());
            CatoTables.createIfMissing(dynamo, settings.tables());
            CatoApi api = new DynamoDbComponents(settings, dynamo, Json.newMapper(), Clock.systemUTC())
                    .api(new FixedRolloutFlag(100), ModelClients.httpClient(false, 1), DynamoDbComponents.Extras.NONE);
            try (LocalServer server = new LocalServer(api, "127.0.0.1", 0, settings.limits().maxBodyBytes()).start()) {
                Http http = new Http(server.port());
                assertThat(http.query("outage", "First question").path("turn").asLong()).isEqualTo(1);

                dynamoDb.stop();
                HttpResponse<String> keyed = http.postJson(QUERY,
                        "{\"query\":\"Asked while the database is down\",\"session_id\":\"outage\"}",
                        "Idempotency-Key", "during-outage");
                HttpResponse<String> plain = http.postJson(QUERY,
                        "{\"query\":\"Also asked while down\",\"session_id\":\"outage\"}");

                for (HttpResponse<String> down : List.of(keyed, plain)) {
                    assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
                    assertThat(down.body()).contains("\"code\":\"dependency_unavailable\"");
                    assertThat(down.headers().firstValue("retry-after")).isPresent();
                }
                int callsWhileDown = model.calls();

                dynamoDb = startDynamoDb(db, port);
                HttpResponse<String> resumed = awaitSuccess(http,
                        "{\"query\":\"Asked while the database is down\",\"session_id\":\"outage\"}", "during-outage");

                assertThat(resumed.body()).contains("\"turn\":2");
                assertThat(model.calls()).isEqualTo(callsWhileDown + 1);
                List<Turn> turns = new DynamoDbSessionStore(dynamo, settings.tables().sessions(), settings.sessions().ttl())
                        .latest(new io.cato.session.SessionKey(CatoApi.DEFAULT_TENANT, "outage").storageKey(), 10);
                assertThat(turns).extracting(Turn::seq).containsExactly(1L, 2L);
                assertThat(turns).extracting(Turn::query).doesNotContain("Also asked while down");
                HttpResponse<String> replay = http.postJson(QUERY,
                        "{\"query\":\"Asked while the database is down\",\"session_id\":\"outage\"}",
                        "Idempotency-Key", "during-outage");
                assertThat(replay.body()).isEqualTo(resumed.body());
            }
        } finally {
            dynamoDb.stop();
        }
    }

    /** The first request after the restart may still meet the old connection; it must succeed within seconds. */
    private static HttpResponse<String> awaitSuccess(Http http, String body, String key) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            HttpResponse<String> response = http.postJson(QUERY, body, "Idempotency-Key", key);
            if (response.statusCode() == 200) {
                return response;
            }
            assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
            assertThat(System.nanoTime()).as("service resumed after DynamoDB returned").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static DynamoDBProxyServer startDynamoDb(Path dir, int port) throws Exception {
        DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(new String[] {
                "-dbPath", dir.toString(), "-sharedDb", "-port", Integer.toString(port), "-disableTelemetry"});
        server.start();
        return server;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
