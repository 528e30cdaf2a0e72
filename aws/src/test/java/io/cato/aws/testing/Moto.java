package io.cato.aws.testing;

import io.cato.aws.AwsClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One moto server per test JVM for the AWS services DynamoDB Local does not cover (S3 here),
 * started on first use on a free loopback port and stopped when the JVM exits. Tests isolate
 * themselves by taking a fresh bucket rather than resetting a server others may be using.
 */
public final class Moto {
    private static Moto instance;

    private final Process process;
    private final URI endpoint;

    private Moto(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    public static synchronized Moto shared() {
        if (instance == null) {
            instance = start();
            Runtime.getRuntime().addShutdownHook(new Thread(instance.process::destroy));
        }
        return instance;
    }

    public URI endpoint() {
        return endpoint;
    }

    /** An S3 client on moto, path-style, as {@link AwsClients} builds it for an endpoint override. */
    public S3Client s3() {
        return new AwsClients(Region.US_EAST_1, Optional.of(endpoint)).s3();
    }

    /** Creates a bucket with a unique name and returns the name. */
    public String freshBucket() {
        String bucket = "cato-batch-" + UUID.randomUUID().toString().substring(0, 8);
        try (S3Client s3 = s3()) {
            s3.createBucket(b -> b.bucket(bucket));
        }
        return bucket;
    }

    private static Moto start() {
        int port = freePort();
        try {
            Path log = Files.createTempFile("moto-", ".log");
            ProcessBuilder builder = new ProcessBuilder("python3", "-m", "moto.server", "-H", "127.0.0.1", "-p",
                    Integer.toString(port)).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("MOTO_PORT", Integer.toString(port));
            Moto moto = new Moto(builder.start(), URI.create("http://127.0.0.1:" + port));
            moto.awaitReady(log);
            return moto;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start moto: python3 with moto 5 must be installed", e);
        }
    }

    private void awaitReady(Path log) throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto exited: " + Files.readString(log));
            }
            try {
                if (http.send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/")).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() < 500) {
                    return;
                }
                Thread.sleep(100);
            } catch (IOException notYet) {
                sleep();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        process.destroy();
        throw new IllegalStateException("moto did not answer within 60 s: " + Files.readString(log));
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
