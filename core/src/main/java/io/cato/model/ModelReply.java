package io.cato.model;

/** A tier's answer; {@code model} is the id the provider says answered. */
public record ModelReply(String text, String model, TokenUsage usage) {
}
