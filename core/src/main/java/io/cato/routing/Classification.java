package io.cato.routing;

/**
 * Routing decision for one query.
 *
 * @param complexity probability-like score in [0, 1] that the query needs the stronger model
 * @param complex    whether {@code complexity} reached the threshold the classifier was asked to use
 * @param domain     coarse subject area, e.g. {@code math}, {@code code}, {@code general}
 * @param reason     short human-readable justification for logs and response headers
 */
public record Classification(double complexity, boolean complex, String domain, String reason) {
}
