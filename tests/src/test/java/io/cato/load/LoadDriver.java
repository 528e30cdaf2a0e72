package io.cato.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpClientTransport;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;

/**
 * Drives a running Cato over HTTP/1.1 (one connection per request in flight) or h2c (many streams
 * on few connections), at a fixed arrival rate or as one wave of concurrent requests, and appends
 * one JSON line of results: p50/p95/p99/max end to end, throughput, and errors by status.
 *
 * <p>Latency is measured from each request's scheduled start, so a driver or server that falls
 * behind shows up in the figures instead of hiding in fewer requests.
 */
public final class LoadDriver {
    /** What each request asks. */
    enum Scenario {
        /** A small set of questions, asked before the run: answered from the exact cache tier. */
        CACHE_HIT,
        /** A new question every time: cache miss, then the model tier. */
        MODEL,
        /** Many sessions, each asking turn after turn, so every request reads and writes its context. */
        SESSIONS,
        /** Stateless questions that go straight to the model tier (no cache, no session). */
        PLAIN
    }

    private final HttpClient client;
    private final String url;
    private final Scenario scenario;
    private final int sessions;
    private final AtomicLong sequence = new AtomicLong();
    private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger degraded = new AtomicInteger();
    private final Map<String, Boolean> samples = new ConcurrentHashMap<>();

    /** The first few distinct failures go to stderr, to tell a driver problem from a server answer. */
    private void sample(String what) {
        String key = what.length() > 200 ? what.substring(0, 200) : what;
        if (samples.size() < 5 && samples.putIfAbsent(key, true) == null) {
            System.err.println("loaddriver: " + key);
        }
    }

    LoadDriver(HttpClient client, String url, Scenario scenario, int sessions) {
        this.client = client;
        this.url = url;
        this.scenario = scenario;
        this.sessions = sessions;
    }

    static HttpClient client(boolean h2c, int connections) throws Exception {
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(2);
        HttpClientTransport transport;
        if (h2c) {
            HTTP2Client http2 = new HTTP2Client(connector);
            http2.setMaxConcurrentPushedStreams(0);
            transport = new HttpClientTransportOverHTTP2(http2);
        } else {
            transport = new HttpClientTransportOverHTTP(connector);
        }
        HttpClient client = new HttpClient(transport);
        client.setMaxConnectionsPerDestination(connections);
        client.setMaxRequestsQueuedPerDestination(1_000_000);
        client.setIdleTimeout(120_000);
        client.setConnectTimeout(30_000);
        client.start();
        return client;
    }

    private String body(long n) {
        return switch (scenario) {
            case CACHE_HIT -> "{\"query\":\"What is the capital of country number " + (n % 20) + "?\"}";
            case MODEL, PLAIN -> "{\"query\":\"Explain load test question number " + n + " in two sentences.\"}";
            case SESSIONS -> "{\"query\":\"Turn " + (n / sessions) + ": tell me more about topic " + (n % 7)
                    + ".\",\"session_id\":\"load-" + (n % sessions) + "\"}";
        };
    }

    /** Sends one request; latencies[slot] gets its time in nanoseconds from {@code scheduled}. */
    private void fire(long scheduled, long[] latencies, int slot, CountDownLatch done) {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        Request request = client.POST(url + "/api/cato/query").timeout(60, TimeUnit.SECONDS)
                .body(new StringRequestContent("application/json", body(sequence.getAndIncrement())));
        request.send(new BufferingResponseListener(64 * 1024) {
            @Override
            public void onComplete(Result result) {
                latencies[slot] = System.nanoTime() - scheduled;
                inFlight.decrementAndGet();
                if (result.isFailed()) {
                    failures.incrementAndGet();
                    statuses.computeIfAbsent(-1, s -> new AtomicInteger()).incrementAndGet();
                    sample("failed: " + result.getFailure());
                } else {
                    int status = result.getResponse().getStatus();
                    statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                    String body = getContentAsString();
                    if (status != 200) {
                        sample(status + " " + body);
                    } else if (body.contains("\"degraded\":true")) {
                        degraded.incrementAndGet();
                    }
                }
                done.countDown();
            }
        });
    }

    /** Requests at a fixed rate for the duration. */
    long[] atRate(int perSecond, int seconds) throws InterruptedException {
        int total = perSecond * seconds;
        long[] latencies = new long[total];
        CountDownLatch done = new CountDownLatch(total);
        long start = System.nanoTime();
        long interval = 1_000_000_000L / perSecond;
        for (int i = 0; i < total; i++) {
            long scheduled = start + i * interval;
            long wait = scheduled - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            fire(scheduled, latencies, i, done);
        }
        done.await(120, TimeUnit.SECONDS);
        return latencies;
    }

    /** One wave: {@code count} requests started within {@code rampMillis}, all in flight together. */
    long[] wave(int count, long rampMillis) throws InterruptedException {
        long[] latencies = new long[count];
        CountDownLatch done = new CountDownLatch(count);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long scheduled = start + TimeUnit.MILLISECONDS.toNanos(rampMillis) * i / count;
            long wait = scheduled - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            fire(scheduled, latencies, i, done);
        }
        done.await(180, TimeUnit.SECONDS);
        return latencies;
    }

    static double percentileMs(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    private static String rss(String pid) {
        if (pid == null) {
            return "null";
        }
        try {
            Map<String, String> fields = new TreeMap<>();
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                if (line.startsWith("VmHWM") || line.startsWith("VmRSS")) {
                    String[] parts = line.split("\\s+");
                    fields.put(parts[0].replace(":", ""), parts[1]);
                }
            }
            return "{\"peak_rss_mb\":" + Long.parseLong(fields.get("VmHWM")) / 1024 + ",\"rss_mb\":"
                    + Long.parseLong(fields.get("VmRSS")) / 1024 + "}";
        } catch (IOException e) {
            return "null";
        }
    }

    /** User and system CPU time of a process (a pid, or "self") in milliseconds; -1 when unknown. */
    static long cpuMillis(String pid) {
        if (pid == null) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command name, in clock ticks.
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    /** CPU each process spent per request during the measured run: the server, the upstream stub, the driver. */
    private static String cpuPerRequest(long[] before, long[] after, int requests) {
        String[] names = {"server", "upstream", "driver"};
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < names.length; i++) {
            if (before[i] >= 0 && after[i] >= 0 && requests > 0) {
                json.append(json.length() > 1 ? "," : "").append('"').append(names[i]).append("\":")
                        .append(String.format(java.util.Locale.ROOT, "%.3f", (after[i] - before[i]) / (double) requests));
            }
        }
        return json.append('}').toString();
    }

    /**
     * {@code LoadDriver --url U --scenario cache-hit|model|sessions|plain --label L --out FILE
     * [--h2c true] [--connections N] [--rate R --seconds S | --wave N --ramp-ms M] [--warmup N [--warmup-rate R]]
     * [--sessions N] [--server-pid PID] [--upstream-pid PID] [--upstream-ms M]}
     */
    public static void main(String[] args) throws Exception {
        Deque<String> rest = new ArrayDeque<>(List.of(args));
        Map<String, String> options = new TreeMap<>();
        while (!rest.isEmpty()) {
            options.put(rest.pop().replaceFirst("^--", ""), rest.pop());
        }
        boolean h2c = Boolean.parseBoolean(options.getOrDefault("h2c", "false"));
        int connections = Integer.parseInt(options.getOrDefault("connections", h2c ? "4" : "20000"));
        Scenario scenario = Scenario.valueOf(options.get("scenario").toUpperCase().replace('-', '_'));
        HttpClient client = client(h2c, connections);
        LoadDriver driver = new LoadDriver(client, options.get("url"), scenario,
                Integer.parseInt(options.getOrDefault("sessions", "1000")));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "0"));
        if (warmup > 0) {
            // Warm-up requests, not measured, let both JIT compilers settle before the measured run. The first
            // second is gentle, so the first answers are in the cache before the warm-up rate is reached.
            int warmupRate = Math.min(warmup, Integer.parseInt(options.getOrDefault("warmup-rate", "200")));
            if (warmupRate <= 200) {
                driver.atRate(warmupRate, Math.max(1, warmup / warmupRate));
            } else {
                driver.atRate(200, 1);
                driver.atRate(warmupRate, Math.max(1, (warmup - 200) / warmupRate));
            }
            driver.statuses.clear();
            driver.failures.set(0);
            driver.maxInFlight.set(0);
            driver.degraded.set(0);
        }
        long[] cpuBefore = {cpuMillis(options.get("server-pid")), cpuMillis(options.get("upstream-pid")), cpuMillis("self")};
        long started = System.nanoTime();
        long[] latencies = options.containsKey("wave")
                ? driver.wave(Integer.parseInt(options.get("wave")), Long.parseLong(options.getOrDefault("ramp-ms", "500")))
                : driver.atRate(Integer.parseInt(options.get("rate")), Integer.parseInt(options.get("seconds")));
        double elapsed = (System.nanoTime() - started) / 1e9;
        long[] cpuAfter = {cpuMillis(options.get("server-pid")), cpuMillis(options.get("upstream-pid")), cpuMillis("self")};
        client.stop();
        long[] sorted = Arrays.stream(latencies).filter(l -> l > 0).sorted().toArray();
        long ok = driver.statuses.getOrDefault(200, new AtomicInteger()).get();
        double upstreamMs = Double.parseDouble(options.getOrDefault("upstream-ms", "0"));
        StringBuilder statuses = new StringBuilder("{");
        new TreeMap<>(driver.statuses).forEach((s, n) -> statuses.append(statuses.length() > 1 ? "," : "")
                .append('"').append(s).append("\":").append(n.get()));
        statuses.append('}');
        String line = String.format(java.util.Locale.ROOT,
                "{\"label\":\"%s\",\"scenario\":\"%s\",\"transport\":\"%s\",\"requests\":%d,\"ok\":%d,\"errors\":%d,"
                        + "\"degraded\":%d,"
                        + "\"statuses\":%s,\"seconds\":%.1f,\"throughput_rps\":%.1f,\"max_in_flight\":%d,"
                        + "\"p50_ms\":%.2f,\"p95_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f,\"upstream_ms\":%.0f,"
                        + "\"overhead_p99_ms\":%.2f,\"server\":%s,\"cpu_ms_per_request\":%s,\"load_average\":\"%s\"}",
                options.get("label"), scenario.name().toLowerCase(), h2c ? "h2c" : "http/1.1", latencies.length, ok,
                latencies.length - ok, driver.degraded.get(), statuses, elapsed, ok / elapsed, driver.maxInFlight.get(),
                percentileMs(sorted, 50), percentileMs(sorted, 95), percentileMs(sorted, 99),
                percentileMs(sorted, 100), upstreamMs, percentileMs(sorted, 99) - upstreamMs,
                rss(options.get("server-pid")), cpuPerRequest(cpuBefore, cpuAfter, latencies.length),
                Files.readString(Path.of("/proc/loadavg")).strip());
        System.out.println(line);
        if (options.containsKey("out")) {
            Files.writeString(Path.of(options.get("out")), line + "\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
    }
}
