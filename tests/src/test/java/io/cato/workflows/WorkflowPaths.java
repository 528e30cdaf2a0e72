package io.cato.workflows;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository's files are, from a test running in any module directory. */
final class WorkflowPaths {
    private WorkflowPaths() {
    }

    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("statemachines"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no statemachines/ directory above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    static Path definition(String name) {
        return root().resolve("statemachines").resolve(name + ".asl.json");
    }
}
