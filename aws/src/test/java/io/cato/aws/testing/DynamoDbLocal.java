package io.cato.aws.testing;

import io.cato.aws.AwsClients;
import io.cato.aws.dynamodb.CatoTables;
import io.cato.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local, in memory, over HTTP on a loopback port, so adapters are tested through the
 * real SDK client and wire protocol. One engine per test class; each test takes fresh tables.
 */
public final class DynamoDbLocal implements AutoCloseable {
    private final DynamoDBProxyServer server;
    private final URI endpoint;
    private final DynamoDbClient client;

    public DynamoDbLocal() {
        int port = freePort();
        try {
            server = ServerRunner.createServerFromCommandLineArgs(
                    new String[] {"-inMemory", "-sharedDb", "-port", Integer.toString(port), "-disableTelemetry"});
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not start", e);
        }
        endpoint = URI.create("http://127.0.0.1:" + port);
        client = new AwsClients(Region.US_EAST_1, Optional.of(endpoint)).dynamoDb();
    }

    public URI endpoint() {
        return endpoint;
    }

    public DynamoDbClient client() {
        return client;
    }

    /** Creates a fresh set of Cato tables with unique names and returns them. */
    public Settings.Tables freshTables() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Settings.Tables tables = new Settings.Tables("sessions-" + suffix, "idempotency-" + suffix, "cache-" + suffix,
                "breakers-" + suffix, "memory-" + suffix, "budgets-" + suffix);
        CatoTables.createIfMissing(client, tables);
        return tables;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        client.close();
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
