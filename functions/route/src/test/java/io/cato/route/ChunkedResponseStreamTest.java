package io.cato.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The wire format of a streamed response, read by a raw HTTP/1.1 server that parses chunks and trailers. */
class ChunkedResponseStreamTest {
    private final ServerSocket server;
    private final CompletableFuture<Received> received = new CompletableFuture<>();

    record Received(List<String> head, List<String> chunks, Map<String, String> trailers) {
    }

    ChunkedResponseStreamTest() throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void close() throws IOException {
        server.close();
    }

    private ChunkedResponseStream open(String status) {
        Thread.ofVirtual().start(() -> {
            try (Socket socket = server.accept()) {
                received.complete(read(new BufferedInputStream(socket.getInputStream())));
                socket.getOutputStream().write(("HTTP/1.1 " + status + "\r\nContent-Length: 0\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                received.completeExceptionally(e);
            }
        });
        return ChunkedResponseStream.open("127.0.0.1:" + server.getLocalPort(),
                "/2018-06-01/runtime/invocation/req-1/response", ProxyStreamResponder.CONTENT_TYPE);
    }

    @Test
    void eachFlush_isOneChunk_andCloseEndsTheBodyWithoutTrailers() throws Exception {
        try (ChunkedResponseStream out = open("202 Accepted")) {
            out.write("data: one\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            out.write("data: two\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        Received wire = received.get(10, TimeUnit.SECONDS);
        assertThat(wire.head()).contains("POST /2018-06-01/runtime/invocation/req-1/response HTTP/1.1",
                "Lambda-Runtime-Function-Response-Mode: streaming", "Transfer-Encoding: chunked",
                "Content-Type: application/vnd.awslambda.http-integration-response");
        assertThat(wire.chunks()).containsExactly("data: one\n\n", "data: two\n\n");
        assertThat(wire.trailers()).isEmpty();
    }

    @Test
    void failure_keepsWhatWasSentAndEndsWithTheErrorTrailers() throws Exception {
        ChunkedResponseStream out = open("202 Accepted");
        out.write("data: partial\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        out.fail(new IllegalStateException("the model stopped"));

        Received wire = received.get(10, TimeUnit.SECONDS);
        assertThat(wire.chunks()).containsExactly("data: partial\n\n");
        assertThat(wire.trailers()).containsEntry("Lambda-Runtime-Function-Error-Type", "Runtime.IllegalStateException");
        assertThat(new String(Base64.getDecoder().decode(wire.trailers().get("Lambda-Runtime-Function-Error-Body")),
                StandardCharsets.UTF_8)).contains("\"errorType\":\"java.lang.IllegalStateException\"")
                .doesNotContain("the model stopped");
    }

    @Test
    void responseTheRuntimeRefuses_isAnError() {
        ChunkedResponseStream out = open("413 Request Entity Too Large");

        assertThatThrownBy(out::close).isInstanceOf(IOException.class).hasMessageContaining("413");
    }

    private static Received read(InputStream in) throws IOException {
        List<String> head = new ArrayList<>();
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            head.add(line);
        }
        List<String> chunks = new ArrayList<>();
        for (int size = Integer.parseInt(line(in), 16); size > 0; size = Integer.parseInt(line(in), 16)) {
            chunks.add(new String(in.readNBytes(size), StandardCharsets.UTF_8));
            line(in);
        }
        Map<String, String> trailers = new LinkedHashMap<>();
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            trailers.put(line.substring(0, line.indexOf(':')), line.substring(line.indexOf(':') + 1).strip());
        }
        return new Received(head, chunks, trailers);
    }

    private static String line(InputStream in) throws IOException {
        var line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                line.write(c);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }
}
