package io.cato.local;

import io.cato.config.InvalidSettingsException;
import io.cato.config.Settings;
import io.cato.config.SettingsLoader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/** {@code cato serve [--port N] [--data DIR] [--config FILE] [--host ADDR] [--dynamodb URL]}: the embedded default. */
public final class Main {
    private static final String USAGE = """
            usage: cato serve [--port N] [--data DIR] [--config FILE] [--host ADDR] [--dynamodb URL]
              --port      port to listen on (default 8080, or CATO_PORT)
              --data      data directory (default ./.cato, or CATO_DATA_DIR)
              --config    JSON configuration file (or CATO_CONFIG)
              --host      address to bind (default 127.0.0.1)
              --dynamodb  a DynamoDB endpoint (e.g. a DynamoDB Local of its own) instead of the embedded one""";

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        Deque<String> rest = new ArrayDeque<>(List.of(args));
        if (rest.isEmpty() || !rest.peek().equals("serve")) {
            System.err.println(USAGE);
            System.exit(2);
        }
        rest.pop();
        try {
            serve(rest);
        } catch (InvalidSettingsException | IllegalArgumentException e) {
            System.err.println("cato: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        }
    }

    private static void serve(Deque<String> args) throws InterruptedException {
        Optional<String> port = Optional.empty();
        Optional<String> data = Optional.empty();
        Optional<String> config = Optional.empty();
        Optional<URI> dynamoDb = Optional.empty();
        String host = "127.0.0.1";
        while (!args.isEmpty()) {
            String flag = args.pop();
            if (args.isEmpty()) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            switch (flag) {
                case "--port" -> port = Optional.of(args.pop());
                case "--data" -> data = Optional.of(args.pop());
                case "--config" -> config = Optional.of(args.pop());
                case "--host" -> host = args.pop();
                case "--dynamodb" -> dynamoDb = Optional.of(endpoint(args.pop()));
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        Settings settings = SettingsLoader.fromProcess().load(config.map(Path::of));
        if (port.isPresent()) {
            settings = settings.withPort(parsePort(port.get()));
        }
        if (data.isPresent()) {
            settings = settings.withDataDir(Path.of(data.get()));
        }
        LocalCato cato = LocalCato.start(settings, host, dynamoDb);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            cato.close();
            stopped.countDown();
        }, "cato-shutdown"));
        announce(cato, settings, host);
        stopped.await();
    }

    private static int parsePort(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port must be a number, got '" + value + "'");
        }
    }

    private static URI endpoint(String value) {
        try {
            URI uri = new URI(value);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("--dynamodb must be an http(s) URL, got '" + value + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--dynamodb must be an http(s) URL, got '" + value + "'", e);
        }
    }

    private static void announce(LocalCato cato, Settings settings, String host) {
        String base = "http://" + host + ":" + cato.port();
        System.out.println("Cato is listening on " + base + " (data in " + settings.server().dataDir().toAbsolutePath() + ")");
        System.out.println("  curl -s " + base + "/api/cato/query -H 'content-type: application/json' "
                + "-d '{\"query\":\"My name is Alice\",\"session_id\":\"demo\"}'");
        System.out.println("  curl -s " + base + "/v1/chat/completions -H 'content-type: application/json' "
                + "-d '{\"messages\":[{\"role\":\"user\",\"content\":\"What is my name?\"}],\"user\":\"demo\"}'");
        if (cato.adminTokenGenerated()) {
            System.out.println("Admin token (shown once, kept in " + settings.server().dataDir().resolve("admin-token") + "):");
            System.out.println("  " + cato.adminToken());
        }
        System.out.println("  curl -s " + base + "/api/admin/cato/status -H 'authorization: Bearer <admin token>'");
        System.out.println("Press Ctrl-C to stop.");
        System.out.flush();
    }
}
