package io.cato.aws.appconfig;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cato.config.Json;
import io.cato.aws.AwsClients;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/** Runs the real AppConfig Data client against a loopback server answering as AppConfig does. */
class AppConfigRolloutFlagTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-05-01T12:00:00Z"));
    private final AtomicReference<String> configuration = new AtomicReference<>(flag(30));
    private final AtomicReference<Integer> failWith = new AtomicReference<>(0);
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final HttpServer server = start();

    private static String flag(int percentage) {
        return "{\"use_new_orchestrator\":{\"enabled\":true,\"percentage\":" + percentage + "}}";
    }

    private HttpServer start() {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            http.createContext("/configurationsessions", this::startSession);
            http.createContext("/configuration", this::latest);
            http.start();
            return http;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void startSession(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add("start " + exchange.getRequestMethod() + " " + body
                + " signed=" + exchange.getRequestHeaders().getFirst("Authorization").startsWith("AWS4-HMAC-SHA256"));
        send(exchange, 201, "{\"InitialConfigurationToken\":\"token-0\"}");
    }

    private void latest(HttpExchange exchange) throws IOException {
        requests.add("get " + exchange.getRequestURI().getQuery());
        if (failWith.get() != 0) {
            send(exchange, failWith.get(), "{\"Message\":\"down\"}");
            return;
        }
        exchange.getResponseHeaders().set("Next-Poll-Configuration-Token", "token-" + requests.size());
        exchange.getResponseHeaders().set("Next-Poll-Interval-In-Seconds", "30");
        send(exchange, 200, configuration.getAndSet(""));
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private AppConfigRolloutFlag flagClient() {
        var client = new AwsClients(Region.US_EAST_1,
                Optional.of(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))).appConfigData();
        Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        return new AppConfigRolloutFlag(client, new AppConfigRolloutFlag.Location("cato", "prod", "rollout"),
                Json.newMapper(), clock, 0);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void percentage_isReadFromTheFeatureFlag() {
        assertThat(flagClient().percentage()).isEqualTo(30);
        assertThat(requests.getFirst()).contains("\"ApplicationIdentifier\":\"cato\"", "\"EnvironmentIdentifier\":\"prod\"",
                "\"ConfigurationProfileIdentifier\":\"rollout\"", "signed=true");
        assertThat(requests.get(1)).isEqualTo("get configuration_token=token-0");
    }

    @Test
    void percentage_isPolledNoMoreOftenThanAppConfigAllows() {
        AppConfigRolloutFlag flag = flagClient();
        flag.percentage();
        configuration.set(flag(60));

        assertThat(flag.percentage()).isEqualTo(30);
        now.set(now.get().plusSeconds(31));
        assertThat(flag.percentage()).isEqualTo(60);
        assertThat(requests.getLast()).isEqualTo("get configuration_token=token-2");
    }

    @Test
    void appConfigOutage_keepsTheLastKnownPercentage() {
        AppConfigRolloutFlag flag = flagClient();
        flag.percentage();
        failWith.set(500);
        now.set(now.get().plusSeconds(31));

        assertThat(flag.percentage()).isEqualTo(30);
    }

    @Test
    void disabledFlag_sendsNobodyToCato() {
        configuration.set("{\"use_new_orchestrator\":{\"enabled\":false,\"percentage\":80}}");
        assertThat(flagClient().percentage()).isZero();
    }
}
