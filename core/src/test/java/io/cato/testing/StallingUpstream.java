package io.cato.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible upstream on a raw socket, for what an HTTP library would hide: it starts a streamed answer and
 * then either stalls (sends nothing more, holding the connection open) or drips one chunk every {@code drip} for as
 * long as the caller stays. It notices the moment the caller closes the connection, which is how a cancelled call
 * looks from the upstream's side.
 */
public final class StallingUpstream implements AutoCloseable {
    private final ServerSocket server;
    private final Duration drip;
    private final AtomicInteger calls = new AtomicInteger();
    private final CountDownLatch closedByCaller = new CountDownLatch(1);
    private volatile boolean open = true;

    /** @param drip the gap between chunks after the first; null to stall after the first chunk */
    private StallingUpstream(Duration drip) {
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.drip = drip;
        Thread.ofVirtual().start(this::accept);
    }

    /** Sends the first chunk of an answer, then nothing more. */
    public static StallingUpstream stallingAfterFirstChunk() {
        return new StallingUpstream(null);
    }

    /** Sends a chunk every {@code drip}, never finishing. */
    public static StallingUpstream dripping(Duration drip) {
        return new StallingUpstream(drip);
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1");
    }

    public int calls() {
        return calls.get();
    }

    /** Whether the caller closed a connection it had opened, within {@code wait}. */
    public boolean closedByCaller(Duration wait) throws InterruptedException {
        return closedByCaller.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void accept() {
        while (open) {
            try {
                Socket socket = server.accept();
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            readRequest(in);
            calls.incrementAndGet();
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            chunk(out, "Hello");
            if (drip == null) {
                socket.setSoTimeout(0);
                // Nothing more is sent: the next read returns only when the caller closes its side.
                while (in.read() >= 0) {
                    // The caller sends nothing further on this connection.
                }
                closedByCaller.countDown();
                return;
            }
            while (open) {
                Thread.sleep(drip);
                chunk(out, " and");
            }
        } catch (IOException e) {
            // A write failed: the caller went away.
            closedByCaller.countDown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void chunk(OutputStream out, String text) throws IOException {
        byte[] event = ("data: {\"model\":\"stalling\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text
                + "\"}}]}\n\n").getBytes(StandardCharsets.UTF_8);
        out.write((Integer.toHexString(event.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(event);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads the request line, headers and a Content-Length body. */
    private static void readRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            head.append((char) b);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        in.readNBytes(length);
    }

    @Override
    public void close() {
        open = false;
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
