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
 * Drives a running Cato, or another OpenAI-compatible gateway with the chat scenarios, over HTTP/1.1
 * (one connection per request in flight) or h2c (many streams on few connections), at a fixed
 * arrival rate or as one wave of concurrent requests, and appends one JSON line of results:
 * p50/p95/p99/max end to end, throughput, errors by status, and the CPU each process spent.
 *
 * <p>Latency is measured from each request's scheduled start, so a driver or server that falls
 * behind shows up in the figures instead of hiding in fewer requests.
 */
public final class LoadDriver {
    private final HttpClient client;
    private final String url;
    private final LoadScenario scenario;
    private final int sessions;
    private final List<String[]> headers;
    private final long timeoutMillis;
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

    LoadDriver(HttpClient client, String url, LoadScenario scenario, int sessions, List<String[]> headers,
               long timeoutMillis) {
        this.client = client;
        this.url = url;
        this.scenario = scenario;
        this.sessions = sessions;
        this.headers = headers;
        this.timeoutMillis = timeoutMillis;
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

    /** Sends one request; latencies[slot] gets its time in nanoseconds from {@code scheduled}. */
    private void fire(long scheduled, long[] latencies, int slot, CountDownLatch done) {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        long n = sequence.getAndIncrement();
        Request request = client.POST(url + scenario.path()).timeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .body(new StringRequestContent("application/json", scenario.body(n, sessions)));
        headers.forEach(h -> request.headers(m -> m.put(h[0], h[1])));
        String session = scenario.session(n, sessions);
        if (session != null) {
            request.headers(m -> m.put("x-cato-session", session));
        }
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
        done.await(timeoutMillis + 60_000, TimeUnit.MILLISECONDS);
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
        done.await(timeoutMillis + 120_000, TimeUnit.MILLISECONDS);
        return latencies;
    }

    static double percentileMs(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
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

    /** Every {@code everySeconds}: seconds since the start, requests in flight at the driver, the server's resident set. */
    private Thread timeline(String serverPid, int everySeconds, StringBuilder json) {
        long started = System.nanoTime();
        Thread sampler = Thread.ofPlatform().daemon().name("load-timeline").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                synchronized (json) {
                    json.append(json.isEmpty() ? "" : ",").append(String.format(java.util.Locale.ROOT,
                            "[%.0f,%d,%d]", (System.nanoTime() - started) / 1e9, inFlight.get(),
                            ProcessStats.statusMegabytes(serverPid, "VmRSS")));
                }
                try {
                    Thread.sleep(everySeconds * 1000L);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        return sampler;
    }

    private void warmUp(Map<String, String> options) throws InterruptedException {
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "0"));
        if (warmup <= 0) {
            return;
        }
        // Warm-up requests, not measured, let both JIT compilers settle before the measured run. The first
        // second is gentle, so the first answers are in the cache before the warm-up rate is reached.
        int warmupRate = Math.min(warmup, Integer.parseInt(options.getOrDefault("warmup-rate", "200")));
        if (warmupRate <= 200) {
            atRate(warmupRate, Math.max(1, warmup / warmupRate));
        } else {
            atRate(200, 1);
            atRate(warmupRate, Math.max(1, (warmup - 200) / warmupRate));
        }
        statuses.clear();
        failures.set(0);
        maxInFlight.set(0);
        degraded.set(0);
    }

    /** {@code --header "name: value"} may repeat; every other option is given once. */
    private static Map<String, String> options(String[] args, List<String[]> headers) {
        Deque<String> rest = new ArrayDeque<>(List.of(args));
        Map<String, String> options = new TreeMap<>();
        while (!rest.isEmpty()) {
            String name = rest.pop().replaceFirst("^--", "");
            String value = rest.pop();
            if (name.equals("header")) {
                int colon = value.indexOf(':');
                headers.add(new String[] {value.substring(0, colon).strip(), value.substring(colon + 1).strip()});
            } else {
                options.put(name, value);
            }
        }
        return options;
    }

    /**
     * {@code LoadDriver --url U --scenario cache-hit|model|sessions|plain|chat|chat-session|model-session --label L
     * --out FILE [--h2c true] [--connections N] [--rate R --seconds S | --wave N --ramp-ms M]
     * [--warmup N [--warmup-rate R]] [--sessions N] [--server-pid PID] [--upstream-pid PID] [--upstream-ms M]
     * [--timeout-s S] [--header "name: value"]... [--timeline-s S] [--first N]}
     */
    public static void main(String[] args) throws Exception {
        List<String[]> headers = new java.util.ArrayList<>();
        Map<String, String> options = options(args, headers);
        boolean h2c = Boolean.parseBoolean(options.getOrDefault("h2c", "false"));
        int connections = Integer.parseInt(options.getOrDefault("connections", h2c ? "4" : "20000"));
        HttpClient client = client(h2c, connections);
        LoadDriver driver = new LoadDriver(client, options.get("url"), LoadScenario.named(options.get("scenario")),
                Integer.parseInt(options.getOrDefault("sessions", "1000")), headers,
                Long.parseLong(options.getOrDefault("timeout-s", "60")) * 1000);
        // A later run against the same server asks questions of its own, not the ones an earlier run left cached.
        driver.sequence.set(Long.parseLong(options.getOrDefault("first", "0")));
        driver.warmUp(options);
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).strip();
        String[] pids = {options.get("server-pid"), options.get("upstream-pid"), "self"};
        long[] cpuBefore = Arrays.stream(pids).mapToLong(ProcessStats::cpuMillis).toArray();
        StringBuilder timeline = new StringBuilder();
        Thread sampler = options.containsKey("timeline-s")
                ? driver.timeline(pids[0], Integer.parseInt(options.get("timeline-s")), timeline) : null;
        long started = System.nanoTime();
        long[] latencies = options.containsKey("wave")
                ? driver.wave(Integer.parseInt(options.get("wave")), Long.parseLong(options.getOrDefault("ramp-ms", "500")))
                : driver.atRate(Integer.parseInt(options.get("rate")), Integer.parseInt(options.get("seconds")));
        double elapsed = (System.nanoTime() - started) / 1e9;
        long[] cpuAfter = Arrays.stream(pids).mapToLong(ProcessStats::cpuMillis).toArray();
        if (sampler != null) {
            sampler.interrupt();
        }
        client.stop();
        String line = driver.report(options, h2c, latencies, elapsed, cpuBefore, cpuAfter, loadBefore, timeline);
        System.out.println(line);
        if (options.containsKey("out")) {
            Files.writeString(Path.of(options.get("out")), line + "\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
    }

    private String report(Map<String, String> options, boolean h2c, long[] latencies, double elapsed, long[] cpuBefore,
                          long[] cpuAfter, String loadBefore, StringBuilder timeline) throws IOException {
        long[] sorted = Arrays.stream(latencies).filter(l -> l > 0).sorted().toArray();
        // The requests scheduled in the second half: a steady state's figures without the start's transients.
        long[] secondHalf = Arrays.stream(latencies, latencies.length / 2, latencies.length).filter(l -> l > 0)
                .sorted().toArray();
        long ok = statuses.getOrDefault(200, new AtomicInteger()).get();
        double upstreamMs = Double.parseDouble(options.getOrDefault("upstream-ms", "0"));
        StringBuilder byStatus = new StringBuilder("{");
        new TreeMap<>(statuses).forEach((s, n) -> byStatus.append(byStatus.length() > 1 ? "," : "")
                .append('"').append(s).append("\":").append(n.get()));
        byStatus.append('}');
        String serverPid = options.get("server-pid");
        synchronized (timeline) {
            return String.format(java.util.Locale.ROOT,
                    "{\"label\":\"%s\",\"scenario\":\"%s\",\"transport\":\"%s\",\"requests\":%d,\"ok\":%d,\"errors\":%d,"
                            + "\"degraded\":%d,"
                            + "\"statuses\":%s,\"seconds\":%.1f,\"throughput_rps\":%.1f,\"max_in_flight\":%d,"
                            + "\"p50_ms\":%.2f,\"p95_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f,\"upstream_ms\":%.0f,"
                            + "\"second_half_p99_ms\":%.2f,"
                            + "\"overhead_p50_ms\":%.2f,\"overhead_p99_ms\":%.2f,\"server\":%s,\"cpu_ms_per_request\":%s,"
                            + "\"load_average_before\":\"%s\",\"load_average\":\"%s\"%s}",
                    options.get("label"), scenario.name().toLowerCase().replace('_', '-'), h2c ? "h2c" : "http/1.1",
                    latencies.length, ok, latencies.length - ok, degraded.get(), byStatus, elapsed, ok / elapsed,
                    maxInFlight.get(), percentileMs(sorted, 50), percentileMs(sorted, 95), percentileMs(sorted, 99),
                    percentileMs(sorted, 100), upstreamMs, percentileMs(secondHalf, 99), percentileMs(sorted, 50) - upstreamMs,
                    percentileMs(sorted, 99) - upstreamMs, ProcessStats.rssJson(serverPid),
                    cpuPerRequest(cpuBefore, cpuAfter, latencies.length), loadBefore,
                    Files.readString(Path.of("/proc/loadavg")).strip(),
                    timeline.isEmpty() ? "" : ",\"timeline\":[" + timeline + "]");
        }
    }
}
