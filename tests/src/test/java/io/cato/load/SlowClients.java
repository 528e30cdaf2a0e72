package io.cato.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Slow clients for a soak: {@code --clients} connections to a running Cato that each send a request a byte at a time,
 * one byte every {@code --interval-ms}, the headers or the body ({@code --trickle headers|body}), and open a new one
 * whenever the server answers or closes, for {@code --seconds}. Meant to run beside the {@link LoadDriver} serving
 * ordinary callers; prints one JSON line: connections opened, answers by status, connections closed without one.
 */
public final class SlowClients {
    private final URI url;
    private final boolean trickleBody;
    private final Duration interval;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong opened = new AtomicLong();
    private final AtomicLong closedWithoutAnswer = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger maxOpen = new AtomicInteger();
    private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();

    private SlowClients(URI url, boolean trickleBody, Duration interval) {
        this.url = url;
        this.trickleBody = trickleBody;
        this.interval = interval;
    }

    private void client() {
        while (running.get()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 5_000);
                opened.incrementAndGet();
                maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                try {
                    int status = trickle(socket);
                    if (status > 0) {
                        statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                    } else {
                        closedWithoutAnswer.incrementAndGet();
                    }
                } finally {
                    open.decrementAndGet();
                }
            } catch (IOException e) {
                refused.incrementAndGet();
                pause(Duration.ofMillis(100));
            }
        }
    }

    /** Sends the request slowly; returns the status the server answered, 0 when it closed without one. */
    private int trickle(Socket socket) throws IOException {
        String body = "{\"query\":\"What is the boiling point of water at sea level?\"}";
        String head = "POST /api/cato/query HTTP/1.1\r\nhost: " + url.getHost() + "\r\ncontent-type: application/json\r\n"
                + "content-length: " + body.length() + "\r\n\r\n";
        byte[] fast = (trickleBody ? head : "").getBytes(StandardCharsets.US_ASCII);
        byte[] slow = (trickleBody ? body : head + body).getBytes(StandardCharsets.US_ASCII);
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        out.write(fast);
        out.flush();
        try {
            for (byte b : slow) {
                if (!running.get()) {
                    return 0;
                }
                if (in.available() > 0) {
                    return status(in);
                }
                out.write(b);
                out.flush();
                pause(interval);
            }
        } catch (IOException e) {
            // The server closed the connection, perhaps after answering: read what it said, if anything.
        }
        return status(in);
    }

    private static int status(InputStream in) {
        try {
            byte[] line = new byte[12];
            int n = in.readNBytes(line, 0, line.length);
            String text = new String(line, 0, n, StandardCharsets.US_ASCII);
            return text.startsWith("HTTP/1.1 ") ? Integer.parseInt(text.substring(9, 12)) : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private static void pause(Duration pause) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new TreeMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int clients = Integer.parseInt(options.getOrDefault("clients", "1000"));
        SlowClients soak = new SlowClients(URI.create(options.get("url")),
                options.getOrDefault("trickle", "body").equals("body"),
                Duration.ofMillis(Long.parseLong(options.getOrDefault("interval-ms", "1000"))));
        for (int i = 0; i < clients; i++) {
            Thread.ofVirtual().start(soak::client);
        }
        Thread.sleep(Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", "60"))));
        soak.running.set(false);
        StringBuilder byStatus = new StringBuilder("{");
        new TreeMap<>(soak.statuses).forEach((s, n) -> byStatus.append(byStatus.length() > 1 ? "," : "")
                .append('"').append(s).append("\":").append(n.get()));
        System.out.println("{\"slow_clients\":" + clients + ",\"trickle\":\"" + (soak.trickleBody ? "body" : "headers")
                + "\",\"opened\":" + soak.opened.get() + ",\"max_open\":" + soak.maxOpen.get()
                + ",\"answered\":" + byStatus.append('}') + ",\"closed_without_answer\":" + soak.closedWithoutAnswer.get()
                + ",\"refused\":" + soak.refused.get() + "}");
        System.exit(0);
    }
}
