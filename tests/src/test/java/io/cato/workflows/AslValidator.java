package io.cato.workflows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs the asl-validator CLI (npm) on one definition: from node_modules/ of the repository, or from PATH. */
final class AslValidator {
    record Result(boolean valid, String output) {
    }

    private AslValidator() {
    }

    static Result validate(Path definition) throws IOException {
        Process process = new ProcessBuilder(executable(), "--json-path", definition.toString())
                .redirectErrorStream(true).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("asl-validator did not finish within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.exitValue() == 0, output);
    }

    private static String executable() {
        Path local = WorkflowPaths.root().resolve("node_modules/.bin/asl-validator");
        if (Files.isExecutable(local)) {
            return local.toString();
        }
        // The shell finds it on the PATH the tests inherited.
        try {
            Process which = new ProcessBuilder("sh", "-c", "command -v asl-validator").redirectErrorStream(true).start();
            String found = new String(which.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (which.waitFor() == 0 && !found.isEmpty() && Files.isExecutable(Path.of(found))) {
                return found;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("asl-validator is not installed: run 'npm ci' in the repository root "
                + "(it installs asl-validator 4.0.0 into node_modules/), or 'npm install -g asl-validator@4.0.0'");
    }
}
