package io.cato.status;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** Counters behind the status endpoint: per tier latency, errors and cost, and request totals. */
public final class ServiceStats {
    private static final int RESERVOIR = 2048;
    private final Map<String, TierStats> tiers = new ConcurrentHashMap<>();
    private final LongAdder requests = new LongAdder();
    private final LongAdder legacyRequests = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final Map<String, LongAdder> routeReasons = new ConcurrentHashMap<>();
    private final MetricsSink metrics;

    public ServiceStats() {
        this(MetricsSink.NONE);
    }

    public ServiceStats(MetricsSink metrics) {
        this.metrics = metrics;
    }

    /** Where each answer's metrics are published as well. */
    public MetricsSink metrics() {
        return metrics;
    }

    /** One call to a tier, answered or failed. */
    public void recordCall(String tier, long latencyMs, boolean failed) {
        TierStats stats = tier(tier);
        stats.calls.increment();
        if (failed) {
            stats.errors.increment();
        }
        stats.latencies.record(latencyMs);
    }

    /** A tier passed over without a call because its circuit was open. */
    public void recordSkipped(String tier) {
        tier(tier).skipped.increment();
    }

    /** The router's first choice for a query and why (classified_complex, classified_simple, pinned_model, ...). */
    public void recordRoute(String chosenTier, String reason) {
        tier(chosenTier).chosen.increment();
        routeReasons.computeIfAbsent(reason, k -> new LongAdder()).increment();
    }

    /** One answer served by a tier. */
    public void recordAnswer(String tier, long latencyMs, double costUsd, boolean fallback) {
        requests.increment();
        TierStats stats = tier(tier);
        stats.answers.increment();
        stats.cost.add(costUsd);
        if (fallback) {
            stats.fallbacksInto.increment();
        }
    }

    public void recordLegacy() {
        legacyRequests.increment();
    }

    public void recordRejected() {
        rejected.increment();
    }

    private TierStats tier(String name) {
        return tiers.computeIfAbsent(name, k -> new TierStats());
    }

    public Snapshot snapshot() {
        Map<String, TierSnapshot> perTier = new TreeMap<>();
        tiers.forEach((name, s) -> perTier.put(name, new TierSnapshot(s.calls.sum(), s.answers.sum(), s.errors.sum(),
                s.fallbacksInto.sum(), s.skipped.sum(), s.chosen.sum(), s.cost.sum(), s.latencies.percentile(0.50),
                s.latencies.percentile(0.99))));
        Map<String, Long> reasons = new TreeMap<>();
        routeReasons.forEach((reason, count) -> reasons.put(reason, count.sum()));
        return new Snapshot(requests.sum(), legacyRequests.sum(), rejected.sum(), perTier, reasons);
    }

    /** @param routeReasons how often each routing reason decided a query's first tier */
    public record Snapshot(long answered, long legacy, long rejected, Map<String, TierSnapshot> tiers,
                           Map<String, Long> routeReasons) {

        /** Total cost of every answer so far, in US dollars. */
        public double costUsd() {
            return tiers.values().stream().mapToDouble(TierSnapshot::costUsd).sum();
        }
    }

    /**
     * @param skippedCircuitOpen times the tier was passed over because its circuit was open (not calls)
     * @param chosen times the router picked the tier first for a query
     */
    public record TierSnapshot(long calls, long answers, long errors, long fallbacksInto, long skippedCircuitOpen,
                               long chosen, double costUsd, long latencyP50Ms, long latencyP99Ms) {
    }

    private static final class TierStats {
        final LongAdder calls = new LongAdder();
        final LongAdder answers = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder fallbacksInto = new LongAdder();
        final LongAdder skipped = new LongAdder();
        final LongAdder chosen = new LongAdder();
        final DoubleAdder cost = new DoubleAdder();
        final Reservoir latencies = new Reservoir();
    }

    /** The latest latencies, enough for a stable p99 without keeping every sample. */
    private static final class Reservoir {
        private final long[] samples = new long[RESERVOIR];
        private final AtomicLong count = new AtomicLong();

        void record(long value) {
            samples[(int) (count.getAndIncrement() % RESERVOIR)] = value;
        }

        long percentile(double p) {
            int n = (int) Math.min(count.get(), RESERVOIR);
            if (n == 0) {
                return 0;
            }
            long[] copy = Arrays.copyOf(samples, n);
            Arrays.sort(copy);
            return copy[Math.min(n - 1, (int) Math.ceil(p * n) - 1)];
        }
    }
}
