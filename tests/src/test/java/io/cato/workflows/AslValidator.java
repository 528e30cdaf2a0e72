package io.cato.workflows;

import java.io.IOException;
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
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "asl-validator"))) {
                return Path.of(dir, "asl-validator").toString();
            }
        }
        throw new IllegalStateException("asl-validator is not installed: run 'npm ci' in the repository root "
                + "(it installs asl-validator 4.0.0 into node_modules/), or 'npm install -g asl-validator@4.0.0'");
    }
}
