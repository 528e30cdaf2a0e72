package io.cato.local;

import io.cato.api.ApiException;
import io.cato.api.ApiRequest;
import io.cato.api.ApiResponse;
import io.cato.api.CatoApi;
import io.cato.api.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.cato.model.CallerGoneException;
import org.eclipse.jetty.util.thread.Scheduler;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Serves {@link CatoApi} over HTTP/1.1 and cleartext HTTP/2 (h2c, by prior knowledge or upgrade)
 * on one port. Each request runs on a virtual thread, so a request waiting on a model holds no
 * platform thread; past {@code maxInFlight} requests at once, new ones are answered 429 with
 * {@code retry-after} at once, so memory stays bounded by the limit times one request's share.
 * A request holds an in-flight slot only once it has been received whole: a client that trickles its
 * body holds a connection and a virtual thread, never a slot, and is answered 408 once the request
 * took longer than its read time-out to arrive.
 * {@link #close()} stops accepting, answers new requests on open connections 503, and waits up to
 * {@link #DRAIN_MILLIS} for the requests under way to be answered before it closes connections.
 */
public final class LocalServer implements AutoCloseable {
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final long MAX_DRAINED_BYTES = 16L * 1024 * 1024;
    private static final int ACCEPT_QUEUE = 8192;
    /** HTTP/2 streams one connection may have open at once. */
    static final int STREAMS_PER_CONNECTION = 256;
    /** How long stopping waits for requests under way: longer than the slowest tier's default time-out. */
    static final long DRAIN_MILLIS = 25_000;
    private final Server server;
    private final ServerConnector connector;
    private final ApiHandler handler;

    public LocalServer(CatoApi api, String host, int port, int maxBodyBytes) {
        this(api, host, port, maxBodyBytes, io.cato.config.Settings.DEFAULT_MAX_IN_FLIGHT);
    }

    public LocalServer(CatoApi api, String host, int port, int maxBodyBytes, int maxInFlight) {
        this(api, host, port, maxBodyBytes, maxInFlight, DEFAULT_READ_TIMEOUT);
    }

    /** How long a client may take to send a whole request, unless told otherwise. */
    static final java.time.Duration DEFAULT_READ_TIMEOUT = java.time.Duration.ofSeconds(20);

    /** @param readTimeout how long a client may take to send a whole request, from its first byte */
    public LocalServer(CatoApi api, String host, int port, int maxBodyBytes, int maxInFlight,
                       java.time.Duration readTimeout) {
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("cato-http");
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        this.server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(MAX_HEADER_BYTES);
        http.setSendServerVersion(false);
        HTTP2CServerConnectionFactory h2c = new HTTP2CServerConnectionFactory(http);
        // Streams per connection are capped, so a client with many requests in flight spreads them over several
        // connections (as HTTP/2 clients do when a connection is full): the frames one connection has queued are
        // written in one pass whose cost grows with the square of their number. The in-flight limit is what
        // answers 429.
        h2c.setMaxConcurrentStreams(Math.min(maxInFlight + 1, STREAMS_PER_CONNECTION));
        this.connector = new ServerConnector(server, new HttpConnectionFactory(http), h2c);
        connector.setHost(host);
        connector.setPort(port);
        connector.setAcceptQueueSize(ACCEPT_QUEUE);
        server.addConnector(connector);
        this.handler = new ApiHandler(api, maxBodyBytes, maxInFlight, readTimeout);
        server.setHandler(new GracefulHandler(handler));
        server.setStopTimeout(DRAIN_MILLIS);
        server.setErrorHandler(new JsonErrorHandler());
    }

    public LocalServer start() {
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("the HTTP server did not start on port " + connector.getPort(), e);
        }
        return this;
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** Requests being served right now. */
    public int inFlight() {
        return handler.inFlight.get();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the HTTP server did not stop cleanly", e);
        }
    }

    /** Reads the request (bounded), hands it to the API, writes the answer back, streaming if asked. */
    private static final class ApiHandler extends Handler.Abstract {
        private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
        private final CatoApi api;
        private final int maxBodyBytes;
        private final int maxInFlight;
        private final long readTimeoutNanos;
        private final AtomicInteger inFlight = new AtomicInteger();
        private final ApiResponse tooMany;
        private final ApiResponse tooSlow;

        ApiHandler(CatoApi api, int maxBodyBytes, int maxInFlight, java.time.Duration readTimeout) {
            this.api = api;
            this.maxBodyBytes = maxBodyBytes;
            this.maxInFlight = maxInFlight;
            this.readTimeoutNanos = readTimeout.toNanos();
            this.tooMany = api.errors().of(ErrorCode.TOO_MANY_REQUESTS,
                    "more than " + maxInFlight + " requests in flight, retry later").withHeader("retry-after", "1");
            this.tooSlow = api.errors().of(ErrorCode.REQUEST_TIMEOUT,
                    "the request did not arrive within " + readTimeout.toMillis() + " ms").withHeader("connection", "close");
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            Received received = receive(request);
            if (received.failure() != null) {
                if (received.failure() == Received.GONE) {
                    callback.failed(new IOException("the client went away while sending its request"));
                } else {
                    write(received.failure(), response, callback);
                }
                return true;
            }
            if (inFlight.incrementAndGet() > maxInFlight) {
                inFlight.decrementAndGet();
                write(tooMany, response, callback);
                return true;
            }
            try {
                write(api.handle(ApiRequest.of(request.getMethod(), Request.getPathInContext(request),
                        headers(request), received.body())), response, callback);
            } finally {
                inFlight.decrementAndGet();
            }
            return true;
        }

        /** The request's body, or the answer to give instead; {@link Received#GONE} when there is nobody to answer. */
        private record Received(byte[] body, ApiResponse failure) {
            static final ApiResponse GONE = ApiResponse.json(499, "{}");
        }

        /** Reads the body before the request's read time-out (counted from its first byte) runs out. */
        private Received receive(Request request) {
            long left = request.getBeginNanoTime() + readTimeoutNanos - System.nanoTime();
            AtomicBoolean timedOut = new AtomicBoolean();
            Scheduler.Task watch = request.getComponents().getScheduler().schedule(() -> {
                timedOut.set(true);
                request.fail(new TimeoutException("request body not received in time"));
            }, Math.max(0, left), TimeUnit.NANOSECONDS);
            try {
                return new Received(body(request), null);
            } catch (ApiException tooLarge) {
                return new Received(null, api.errors().of(tooLarge));
            } catch (IOException e) {
                return new Received(null, timedOut.get() ? tooSlow : Received.GONE);
            } finally {
                watch.cancel();
            }
        }

        /** Writes the answer; a client that went away meanwhile ends the exchange quietly. */
        private static void write(ApiResponse answer, Response response, Callback callback) {
            response.setStatus(answer.status());
            answer.headers().forEach((name, value) -> response.getHeaders().put(name, value));
            if (!answer.streaming()) {
                // A whole answer goes out in one write with its length, not chunked.
                byte[] body = answer.bodyBytes();
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
                response.write(true, ByteBuffer.wrap(body), callback);
                return;
            }
            try (OutputStream out = Content.Sink.asOutputStream(response)) {
                answer.body().writeTo(out);
            } catch (IOException | CallerGoneException e) {
                LOG.atDebug().log(() -> "client went away before its answer was written: " + e.getClass().getSimpleName());
                callback.failed(e);
                return;
            }
            callback.succeeded();
        }

        /**
         * The body, or a 413 once it passes the limit. An oversized body is still read and
         * discarded (up to {@link #MAX_DRAINED_BYTES}) so the caller receives the error instead
         * of a broken connection.
         */
        private byte[] body(Request request) throws java.io.IOException {
            try (InputStream in = Content.Source.asInputStream(request)) {
                byte[] body = in.readNBytes(maxBodyBytes + 1);
                if (body.length > maxBodyBytes || request.getLength() > maxBodyBytes) {
                    drain(in);
                    throw new ApiException(ErrorCode.BODY_TOO_LARGE, "request body exceeds " + maxBodyBytes + " bytes");
                }
                return body;
            }
        }

        private static void drain(InputStream in) throws java.io.IOException {
            byte[] sink = new byte[64 * 1024];
            long drained = 0;
            int n;
            while (drained < MAX_DRAINED_BYTES && (n = in.read(sink)) > 0) {
                drained += n;
            }
        }

        private static Map<String, String> headers(Request request) {
            Map<String, String> headers = new HashMap<>();
            for (HttpField field : request.getHeaders()) {
                headers.merge(field.getName().toLowerCase(Locale.ROOT), field.getValue(), (a, b) -> a + "," + b);
            }
            return headers;
        }
    }
}
