package io.cato.aws.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * What a block of code writes to standard output, where Powertools writes CloudWatch EMF documents (as it does in
 * Lambda: the tests run with {@code AWS_EMF_ENVIRONMENT=Local}, whose sink is the console).
 */
public final class StandardOutput {
    private StandardOutput() {
    }

    /** Runs {@code block} with standard output captured, restoring it after; returns what was written. */
    public static synchronized String of(Runnable block) {
        return of(() -> {
            block.run();
            return null;
        }).output();
    }

    /** Runs {@code block} with standard output captured; returns its result and what was written. */
    public static synchronized <T> Captured<T> of(Supplier<T> block) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            T result = block.get();
            return new Captured<>(result, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }

    public record Captured<T>(T result, String output) {
    }
}
