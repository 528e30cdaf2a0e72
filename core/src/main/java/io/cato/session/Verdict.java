package io.cato.session;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the verify workflow concluded about one answer.
 *
 * @param probe the Shadow Self probe's outcome: {@code ok} or {@code unavailable}
 * @param nli the entailment check's outcome: {@code ok}, {@code unavailable} or {@code no_facts}
 * @param probeScore the probe's estimate that the answer is truthful, 0..1
 * @param entailment highest entailment probability of the answer by one retrieved fact
 * @param contradiction highest contradiction probability of the answer by one retrieved fact
 */
public record Verdict(Status status, String probe, String nli, Optional<Double> probeScore,
                      Optional<Double> entailment, Optional<Double> contradiction, Instant judgedAt) {

    /** The three conclusions; {@code UNKNOWN} whenever the evidence does not settle it. */
    public enum Status {
        SUPPORTED, CONTRADICTED, UNKNOWN;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Status of(String code) {
            return valueOf(code.toUpperCase(java.util.Locale.ROOT));
        }
    }

    public Verdict {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(probe, "probe");
        Objects.requireNonNull(nli, "nli");
        Objects.requireNonNull(judgedAt, "judgedAt");
    }
}
