package io.cato.aws.snapstart;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.cato.config.Json;
import io.cato.aws.AwsClients;
import io.cato.embedding.MiniLmTokenEncoder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class SnapshotCredentialsTest {

    @AfterEach
    void leaveTheSnapshotPhase() {
        SnapshotCredentials.restored();
    }

    /** A credentials chain that counts how often it is asked. */
    private static final class CountingProvider implements AwsCredentialsProvider {
        final AtomicInteger asked = new AtomicInteger();

        @Override
        public AwsCredentials resolveCredentials() {
            asked.incrementAndGet();
            return AwsBasicCredentials.create("AKIAREALKEY", "real-secret");
        }
    }

    @Test
    void beforeTheRestore_thePlaceholderIsGiven_andTheRealChainIsNeverAsked() {
        SnapshotCredentials.beginSnapshotPhase();
        CountingProvider chain = new CountingProvider();
        AwsCredentialsProvider credentials = SnapshotCredentials.around(chain);

        assertThat(credentials.resolveCredentials().accessKeyId()).isEqualTo(SnapshotCredentials.PLACEHOLDER_KEY_ID);
        assertThat(credentials.resolveCredentials().secretAccessKey()).doesNotContain("real");
        assertThat(chain.asked).hasValue(0);

        SnapshotCredentials.restored();
        assertThat(credentials.resolveCredentials().accessKeyId()).isEqualTo("AKIAREALKEY");
        assertThat(chain.asked).hasValue(1);
    }

    @Test
    void startUpWorkThatNeedsCredentials_waitsForTheRestore_andRunsOnce_evenIfOneTaskFails() {
        SnapshotCredentials.beginSnapshotPhase();
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        SnapshotCredentials.whenRestored(() -> ran.add("create index"));
        SnapshotCredentials.whenRestored(() -> {
            throw new IllegalStateException("unreachable");
        });
        SnapshotCredentials.whenRestored(() -> ran.add("warm rollout flag"));
        assertThat(ran).isEmpty();

        SnapshotCredentials.restored();
        SnapshotCredentials.restored();
        assertThat(ran).containsExactly("create index", "warm rollout flag");

        SnapshotCredentials.whenRestored(() -> ran.add("later"));
        assertThat(ran).endsWith("later");
    }

    @Test
    void primingSignsWithThePlaceholder_andTheFirstCallAfterTheRestoreWithTheRealKey() throws Exception {
        List<String> keyIds = Collections.synchronizedList(new ArrayList<>());
        Pattern credential = Pattern.compile("Credential=([^/]+)/");
        HttpServer dynamo = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        dynamo.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            Matcher m = credential.matcher(exchange.getRequestHeaders().getFirst("Authorization"));
            keyIds.add(m.find() ? m.group(1) : "unsigned");
            byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
            exchange.sendResponseHeaders(200, empty.length);
            exchange.getResponseBody().write(empty);
            exchange.close();
        });
        dynamo.start();
        SnapshotCredentials.beginSnapshotPhase();
        URI endpoint = URI.create("http://127.0.0.1:" + dynamo.getAddress().getPort());
        try (DynamoDbClient client = new AwsClients(Region.US_EAST_1, Optional.of(endpoint)).dynamoDb();
             MiniLmTokenEncoder embedder = MiniLmTokenEncoder.load(1)) {
            SnapStartPriming priming = SnapStartPriming.forWorkflow(client, "cato-memory", "pk", "sk",
                    Json.newMapper(), embedder);

            priming.beforeCheckpoint(null);
            assertThat(keyIds).isNotEmpty().containsOnly(SnapshotCredentials.PLACEHOLDER_KEY_ID);

            priming.afterRestore(null);
            client.getItem(g -> g.tableName("cato-memory").key(java.util.Map.of(
                    "pk", AttributeValue.fromS("t#d"), "sk", AttributeValue.fromS("x"))));
            assertThat(keyIds.getLast()).isEqualTo("local");
        } finally {
            dynamo.stop(0);
        }
    }
}
