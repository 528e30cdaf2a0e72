package io.cato.routing;

import io.cato.model.TokenUsage;
import java.util.Optional;

/**
 * How a query was answered.
 *
 * @param model the model id that produced the text ("memory" for the memory tier)
 * @param fallbackFrom the tier that was chosen first, when another one had to answer
 * @param degraded true when no model answered and the memory tier stood in
 * @param turn the answer's place in the session, 0 for a stateless request
 */
public record Answer(String text, String model, String tier, String reason, Optional<String> fallbackFrom,
                     boolean cached, double costUsd, TokenUsage usage, long latencyMs, boolean degraded, long turn) {
}
