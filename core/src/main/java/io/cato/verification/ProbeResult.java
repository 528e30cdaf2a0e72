package io.cato.verification;

/** The Shadow Self hidden-state probe's estimate that an answer is truthful, 0..1. */
public record ProbeResult(double truthfulness) {
}
