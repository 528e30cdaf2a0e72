package io.cato.breaker;

import java.time.Duration;
import java.time.Instant;

/**
 * When a tier's breaker trips and how it recovers. Immutable; {@link #defaults()} names the values
 * used unless configured otherwise.
 *
 * @param failureRateThresholdPercent failures (slow calls included) per 100 calls in the window that open the breaker
 * @param window how far back calls are counted
 * @param bucket the granularity of the window, whole seconds; the window holds a whole number of buckets
 * @param minimumNumberOfCalls calls the window must hold before its failure rate can open the breaker
 * @param slowCallDuration a successful call taking at least this long counts as a failure
 * @param waitInOpen how long an open breaker refuses calls before it lets probes through
 * @param permittedProbes probe calls allowed at once in half-open state, across all instances
 * @param probeLease how long a granted probe blocks others; a probe whose instance died frees up after it
 * @param localCacheTtl how long an instance trusts its last read of the shared state
 */
public record BreakerPolicy(double failureRateThresholdPercent, Duration window, Duration bucket,
                            int minimumNumberOfCalls, Duration slowCallDuration, Duration waitInOpen,
                            int permittedProbes, Duration probeLease, Duration localCacheTtl) {

    public BreakerPolicy {
        if (!(failureRateThresholdPercent > 0 && failureRateThresholdPercent <= 100)) {
            throw new IllegalArgumentException("breaker failure rate threshold must be in (0, 100]");
        }
        if (bucket.toMillis() < 1000 || bucket.toMillis() % 1000 != 0 || window.toMillis() % bucket.toMillis() != 0
                || window.compareTo(bucket) < 0) {
            throw new IllegalArgumentException("breaker window must be a whole number of buckets of whole seconds");
        }
        if (minimumNumberOfCalls < 1 || permittedProbes < 1) {
            throw new IllegalArgumentException("breaker minimum calls and permitted probes must be at least 1");
        }
        if (slowCallDuration.isNegative() || slowCallDuration.isZero() || waitInOpen.isNegative()
                || probeLease.isNegative() || probeLease.isZero() || localCacheTtl.isNegative()) {
            throw new IllegalArgumentException("breaker durations must be positive");
        }
    }

    public static BreakerPolicy defaults() {
        return builder().build();
    }

    public BreakerPolicy withWaitInOpen(Duration wait) {
        return toBuilder().waitInOpen(wait).build();
    }

    public BreakerPolicy withPermittedProbes(int probes) {
        return toBuilder().permittedProbes(probes).build();
    }

    /** Whether the record's calls in the window trip the breaker: enough of them, and enough failed. */
    boolean trips(BreakerRecord record, Instant now) {
        BreakerRecord.Counts counts = record.countsSince(windowStart(now));
        return counts.calls() >= minimumNumberOfCalls() && counts.failureRatePercent() >= failureRateThresholdPercent();
    }

    /** The start of the bucket {@code now} falls in. */
    Instant bucketStart(Instant now) {
        long bucketMillis = bucket().toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), bucketMillis) * bucketMillis);
    }

    /** The start of the oldest bucket still inside the window. */
    Instant windowStart(Instant now) {
        return bucketStart(now).minus(window()).plus(bucket());
    }

    /** Starts from the {@link #defaults()}; each part named replaces its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this value's parts, to copy it with some of them changed. */
    public Builder toBuilder() {
        return new Builder().failureRateThresholdPercent(failureRateThresholdPercent).window(window).bucket(bucket)
                .minimumNumberOfCalls(minimumNumberOfCalls).slowCallDuration(slowCallDuration).waitInOpen(waitInOpen)
                .permittedProbes(permittedProbes).probeLease(probeLease).localCacheTtl(localCacheTtl);
    }

    /** Collects the parts of a breaker policy by name. */
    public static final class Builder {
        private double failureRateThresholdPercent = 50;
        private Duration window = Duration.ofSeconds(60);
        private Duration bucket = Duration.ofSeconds(10);
        private int minimumNumberOfCalls = 5;
        private Duration slowCallDuration = Duration.ofSeconds(10);
        private Duration waitInOpen = Duration.ofSeconds(30);
        private int permittedProbes = 1;
        private Duration probeLease = Duration.ofSeconds(30);
        private Duration localCacheTtl = Duration.ofSeconds(1);

        private Builder() {
        }

        public Builder failureRateThresholdPercent(double value) {
            this.failureRateThresholdPercent = value;
            return this;
        }

        public Builder window(Duration value) {
            this.window = value;
            return this;
        }

        public Builder bucket(Duration value) {
            this.bucket = value;
            return this;
        }

        public Builder minimumNumberOfCalls(int value) {
            this.minimumNumberOfCalls = value;
            return this;
        }

        public Builder slowCallDuration(Duration value) {
            this.slowCallDuration = value;
            return this;
        }

        public Builder waitInOpen(Duration value) {
            this.waitInOpen = value;
            return this;
        }

        public Builder permittedProbes(int value) {
            this.permittedProbes = value;
            return this;
        }

        public Builder probeLease(Duration value) {
            this.probeLease = value;
            return this;
        }

        public Builder localCacheTtl(Duration value) {
            this.localCacheTtl = value;
            return this;
        }

        public BreakerPolicy build() {
            return new BreakerPolicy(failureRateThresholdPercent, window, bucket, minimumNumberOfCalls,
                    slowCallDuration, waitInOpen, permittedProbes, probeLease, localCacheTtl);
        }
    }
}
