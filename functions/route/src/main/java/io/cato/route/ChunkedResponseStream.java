package io.cato.route;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * One invocation's response in the Runtime API's streaming mode: an HTTP/1.1 POST with a chunked
 * body on its own connection. Every {@link #flush} sends what was written as one chunk, so an
 * event reaches API Gateway (and the client) when the answer produces it, not when it ends.
 * {@link #close} ends the body; {@link #fail} ends it with the error trailers Lambda reads to
 * mark the invocation failed after part of the answer was sent.
 */
final class ChunkedResponseStream extends OutputStream {
    private static final String ERROR_TYPE = "Lambda-Runtime-Function-Error-Type";
    private static final String ERROR_BODY = "Lambda-Runtime-Function-Error-Body";

    private final Socket socket;
    private final OutputStream wire;
    private final BufferedOutputStream pending;
    private boolean ended;

    private ChunkedResponseStream(Socket socket) throws IOException {
        this.socket = socket;
        this.wire = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
        this.pending = new BufferedOutputStream(new ChunkWriter(), 16 * 1024);
    }

    static ChunkedResponseStream open(String hostAndPort, String path, String contentType) {
        int colon = hostAndPort.lastIndexOf(':');
        try {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(hostAndPort.substring(0, colon),
                    Integer.parseInt(hostAndPort.substring(colon + 1))),
                    (int) LambdaRuntimeApi.CONNECT_TIMEOUT.toMillis());
            socket.setTcpNoDelay(true);
            ChunkedResponseStream stream = new ChunkedResponseStream(socket);
            stream.writeHead(hostAndPort, path, contentType);
            return stream;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the streamed response", e);
        }
    }

    private void writeHead(String host, String path, String contentType) throws IOException {
        String head = "POST " + path + " HTTP/1.1\r\n"
                + "Host: " + host + "\r\n"
                + "Lambda-Runtime-Function-Response-Mode: streaming\r\n"
                + "Transfer-Encoding: chunked\r\n"
                + "Content-Type: " + contentType + "\r\n"
                + "Trailer: " + ERROR_TYPE + ", " + ERROR_BODY + "\r\n"
                + "\r\n";
        wire.write(head.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void write(int b) throws IOException {
        pending.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        pending.write(b, off, len);
    }

    /** Sends what was written so far as one chunk. */
    @Override
    public void flush() throws IOException {
        pending.flush();
        wire.flush();
    }

    /** Ends the response normally and waits for the runtime to accept it. */
    @Override
    public void close() throws IOException {
        end("");
    }

    /** Ends the response as failed: the part already sent stays sent, the trailers carry the error. */
    void fail(Throwable error) throws IOException {
        String body = Base64.getEncoder().encodeToString(
                ErrorBodies.json(error).getBytes(StandardCharsets.UTF_8));
        end(ERROR_TYPE + ": " + ErrorBodies.type(error) + "\r\n" + ERROR_BODY + ": " + body + "\r\n");
    }

    private void end(String trailers) throws IOException {
        if (ended) {
            return;
        }
        ended = true;
        try {
            pending.flush();
            wire.write(("0\r\n" + trailers + "\r\n").getBytes(StandardCharsets.US_ASCII));
            wire.flush();
            awaitAccepted(socket.getInputStream());
        } finally {
            socket.close();
        }
    }

    /** Reads the runtime's status line; anything but 2xx means the answer was not taken. */
    private static void awaitAccepted(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            line.append((char) c);
        }
        String[] parts = line.toString().trim().split(" ");
        if (parts.length < 2 || !parts[1].startsWith("2")) {
            throw new IOException("the Runtime API did not accept the streamed response: " + line.toString().trim());
        }
    }

    /** Frames each buffer the pending stream hands down as one HTTP chunk. */
    private final class ChunkWriter extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return;
            }
            wire.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            wire.write(b, off, len);
            wire.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }
}
