package io.cato.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body read under two limits: no gap between two pieces of it longer than {@code idle} (a tier's
 * time-out), and nothing after {@code total} (what is left of the request's deadline). A body that passes either is
 * cancelled, which closes the upstream request, and the read fails with {@link StalledException}: a stream that
 * stalls after its first token is ended, not held. Reading blocks only the reader; nothing else waits on it.
 */
public final class TimedBody extends InputStream implements Flow.Subscriber<List<ByteBuffer>> {
    private static final Object END = new Object();

    private final BlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
    private final long idleNanos;
    private final long deadlineNanos;
    private volatile Flow.Subscription subscription;
    private volatile boolean closed;
    private Iterator<ByteBuffer> pending = List.<ByteBuffer>of().iterator();
    private ByteBuffer current = ByteBuffer.allocate(0);
    private boolean ended;

    private TimedBody(Duration idle, Duration total) {
        this.idleNanos = idle.toNanos();
        this.deadlineNanos = System.nanoTime() + total.toNanos();
    }

    /** Subscribes to {@code body} (an {@code HttpResponse.BodyHandlers.ofPublisher()} body). */
    public static TimedBody of(Flow.Publisher<List<ByteBuffer>> body, Duration idle, Duration total) {
        TimedBody timed = new TimedBody(idle, total);
        body.subscribe(timed);
        return timed;
    }

    /** A read that passed one of the limits; the body was cancelled. */
    public static final class StalledException extends InterruptedIOException {
        StalledException(String message) {
            super(message);
        }
    }

    @Override
    public void onSubscribe(Flow.Subscription value) {
        subscription = value;
        if (closed) {
            value.cancel();
        } else {
            value.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        arrived.add(item);
    }

    @Override
    public void onError(Throwable error) {
        arrived.add(error);
    }

    @Override
    public void onComplete() {
        arrived.add(END);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (!current.hasRemaining()) {
            if (pending.hasNext()) {
                current = pending.next();
                continue;
            }
            if (ended) {
                return -1;
            }
            next();
        }
        int n = Math.min(length, current.remaining());
        current.get(into, offset, n);
        return n;
    }

    @SuppressWarnings("unchecked")
    private void next() throws IOException {
        if (closed) {
            throw new IOException("the body was closed");
        }
        long now = System.nanoTime();
        long wait = Math.min(idleNanos, deadlineNanos - now);
        Object item;
        try {
            item = wait <= 0 ? null : arrived.poll(wait, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new InterruptedIOException("interrupted while reading the body");
        }
        if (item == null) {
            close();
            throw new StalledException(deadlineNanos - System.nanoTime() <= 0 ? "the deadline passed mid-answer"
                    : "no data for " + Duration.ofNanos(idleNanos).toMillis() + " ms");
        }
        if (item == END) {
            ended = true;
        } else if (item instanceof Throwable error) {
            ended = true;
            throw error instanceof IOException io ? io : new IOException(error);
        } else {
            pending = ((List<ByteBuffer>) item).iterator();
            subscription.request(1);
        }
    }

    /** Cancels the body: the rest is not read, and the upstream request is closed. */
    @Override
    public void close() {
        closed = true;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }
}
