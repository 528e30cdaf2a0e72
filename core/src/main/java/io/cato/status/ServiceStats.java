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
        tiers.forEach((name, s) -> perTier.put(name, TierSnapshot.builder().calls(s.calls.sum()).answers(s.answers.sum())
                .errors(s.errors.sum()).fallbacksInto(s.fallbacksInto.sum()).skippedCircuitOpen(s.skipped.sum())
                .chosen(s.chosen.sum()).costUsd(s.cost.sum()).latencyP50Ms(s.latencies.percentile(0.50))
                .latencyP99Ms(s.latencies.percentile(0.99)).build()));
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

        /** Starts a tier's figures named part by named part. */
        public static Builder builder() {
            return new Builder();
        }

        /** Collects the parts of a tier's figures by name. */
        public static final class Builder {
            private long calls;
            private long answers;
            private long errors;
            private long fallbacksInto;
            private long skippedCircuitOpen;
            private long chosen;
            private double costUsd;
            private long latencyP50Ms;
            private long latencyP99Ms;

            private Builder() {
            }

            public Builder calls(long value) {
                this.calls = value;
                return this;
            }

            public Builder answers(long value) {
                this.answers = value;
                return this;
            }

            public Builder errors(long value) {
                this.errors = value;
                return this;
            }

            public Builder fallbacksInto(long value) {
                this.fallbacksInto = value;
                return this;
            }

            public Builder skippedCircuitOpen(long value) {
                this.skippedCircuitOpen = value;
                return this;
            }

            public Builder chosen(long value) {
                this.chosen = value;
                return this;
            }

            public Builder costUsd(double value) {
                this.costUsd = value;
                return this;
            }

            public Builder latencyP50Ms(long value) {
                this.latencyP50Ms = value;
                return this;
            }

            public Builder latencyP99Ms(long value) {
                this.latencyP99Ms = value;
                return this;
            }

            public TierSnapshot build() {
                return new TierSnapshot(calls, answers, errors, fallbacksInto, skippedCircuitOpen, chosen, costUsd,
                        latencyP50Ms, latencyP99Ms);
            }
        }
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
