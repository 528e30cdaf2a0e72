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
        return new BreakerPolicy(50, Duration.ofSeconds(60), Duration.ofSeconds(10), 5, Duration.ofSeconds(10),
                Duration.ofSeconds(30), 1, Duration.ofSeconds(30), Duration.ofSeconds(1));
    }

    public BreakerPolicy withWaitInOpen(Duration wait) {
        return new BreakerPolicy(failureRateThresholdPercent, window, bucket, minimumNumberOfCalls, slowCallDuration,
                wait, permittedProbes, probeLease, localCacheTtl);
    }

    public BreakerPolicy withPermittedProbes(int probes) {
        return new BreakerPolicy(failureRateThresholdPercent, window, bucket, minimumNumberOfCalls, slowCallDuration,
                waitInOpen, probes, probeLease, localCacheTtl);
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
}
