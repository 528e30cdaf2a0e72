package io.cato.model;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What a tier can take beyond plain text; requests that need one are only sent to tiers that declare it. */
public enum Capability {
    /** Function calling: tools offered, tool calls answered, tool results read. */
    TOOLS,
    /** Image content in user messages. */
    IMAGES,
    /** Structured output: a JSON object, or JSON matching a schema. */
    JSON_SCHEMA;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Capability parse(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "tools" -> TOOLS;
            case "images" -> IMAGES;
            case "json_schema", "structured_output" -> JSON_SCHEMA;
            default -> throw new IllegalArgumentException("unknown capability '" + value
                    + "' (expected tools, images or json_schema)");
        };
    }

    /**
     * What a provider's tiers take unless their configuration says otherwise: Bedrock (Claude) takes all three;
     * an OpenAI-compatible server tools and structured output (images only for a vision model, so declared);
     * the SageMaker shadow tier and the memory tier plain text only.
     */
    public static Set<Capability> defaultsFor(Provider provider) {
        return switch (provider) {
            case BEDROCK -> EnumSet.allOf(Capability.class);
            case OPENAI -> EnumSet.of(TOOLS, JSON_SCHEMA);
            case SAGEMAKER, MEMORY -> EnumSet.noneOf(Capability.class);
        };
    }
}
