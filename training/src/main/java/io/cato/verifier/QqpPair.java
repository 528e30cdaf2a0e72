package io.cato.verifier;

/** One labelled question pair: {@code textA} is the cached question, {@code textB} the new one. */
public record QqpPair(String textA, String textB, boolean duplicate) {
}
