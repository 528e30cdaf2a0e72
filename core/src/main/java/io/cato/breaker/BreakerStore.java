package io.cato.breaker;

import io.cato.dependency.DependencyUnavailableException;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * The breaker state every instance of Cato shares, one record per tier. Counting is an atomic
 * add; a state change is a compare-and-set on the record's version, so of two instances acting
 * on the same reading only one succeeds.
 *
 * <p>Every method throws {@link DependencyUnavailableException} when the store cannot be reached.
 */
public interface BreakerStore {

    /** The tier's record as stored now; {@link BreakerRecord#unseen} for a tier never written. */
    BreakerRecord read(String tier);

    /**
     * Adds calls and failures to the bucket starting at {@code bucketStart} in one atomic write, applied at most
     * once; returns the record after the add.
     */
    BreakerRecord addCalls(String tier, Instant bucketStart, BreakerRecord.Counts counts);

    /** Adds one call, failed or not, to the bucket starting at {@code bucketStart}; returns the record after the add. */
    default BreakerRecord addCall(String tier, Instant bucketStart, boolean failed) {
        return addCalls(tier, bucketStart, new BreakerRecord.Counts(1, failed ? 1 : 0));
    }

    /**
     * Moves the tier to {@code next} if its version is still {@code expectedVersion}, removing the
     * given buckets in the same write.
     *
     * @return the record after the change, or empty when another instance changed it first
     */
    Optional<BreakerRecord> transition(String tier, long expectedVersion, BreakerRecord.Phase next,
                                       Set<Instant> dropBuckets);

    /** Removes buckets that have left every window; buckets not there are ignored. */
    void discardBuckets(String tier, Set<Instant> bucketStarts);
}
