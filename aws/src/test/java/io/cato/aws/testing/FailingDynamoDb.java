package io.cato.aws.testing;

import com.sun.net.httpserver.HttpServer;
import io.cato.aws.AwsClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A loopback endpoint answering every DynamoDB request with one error, as DynamoDB sends it, counting requests per
 * operation: how an adapter's client retries, or does not, is seen through the real SDK.
 */
public final class FailingDynamoDb implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final DynamoDbClient client;

    /** @param errorType e.g. {@code com.amazon.coral.service#InternalFailure} */
    public FailingDynamoDb(int status, String errorType) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            String target = exchange.getRequestHeaders().getFirst("x-amz-target");
            requests.computeIfAbsent(target.substring(target.indexOf('.') + 1), k -> new AtomicInteger())
                    .incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            byte[] body = ("{\"__type\":\"" + errorType + "\",\"message\":\"stub\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("content-type", "application/x-amz-json-1.0");
            exchange.sendResponseHeaders(status, body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        client = new AwsClients(Region.US_EAST_1,
                Optional.of(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))).dynamoDb();
    }

    public DynamoDbClient client() {
        return client;
    }

    /** Requests received for one operation, e.g. {@code UpdateItem}. */
    public int requests(String operation) {
        return requests.getOrDefault(operation, new AtomicInteger()).get();
    }

    @Override
    public void close() {
        client.close();
        server.stop(0);
    }
}
