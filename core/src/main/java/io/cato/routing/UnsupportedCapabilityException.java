package io.cato.routing;

import io.cato.model.Capability;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A request needs something (tools, images, structured output) that no tier it may go to takes: the pinned tier,
 * or every deployed tier. Answered 400 {@code unsupported_parameter}, never with an answer that ignores the need.
 */
public final class UnsupportedCapabilityException extends RuntimeException {
    private final Set<Capability> missing;

    public UnsupportedCapabilityException(String where, Set<Capability> missing) {
        super(where + " cannot take " + names(missing) + "; a tier declaring \"capabilities\": ["
                + missing.stream().map(c -> "\"" + c.code() + "\"").collect(Collectors.joining(", "))
                + "] is needed");
        this.missing = Set.copyOf(missing);
    }

    public Set<Capability> missing() {
        return missing;
    }

    /** The request field behind the first missing capability, for the error's {@code param}. */
    public String param() {
        if (missing.contains(Capability.TOOLS)) {
            return "tools";
        }
        return missing.contains(Capability.IMAGES) ? "messages" : "response_format";
    }

    private static String names(Set<Capability> missing) {
        return missing.stream().map(c -> switch (c) {
            case TOOLS -> "tools";
            case IMAGES -> "images";
            case JSON_SCHEMA -> "structured output (response_format)";
        }).sorted().collect(Collectors.joining(" and "));
    }
}
