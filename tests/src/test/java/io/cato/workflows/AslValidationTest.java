package io.cato.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every state machine under statemachines/ passes asl-validator (states, transitions, JSONPath). */
class AslValidationTest {

    @Test
    void everyStateMachine_passesAslValidator() throws IOException {
        List<Path> definitions = StateMachines.all();
        assertThat(definitions).extracting(p -> p.getFileName().toString())
                .contains("verify.asl.json", "consolidate.asl.json", "curiosity.asl.json");
        for (Path definition : definitions) {
            AslValidator.Result result = AslValidator.validate(definition);
            assertThat(result.valid()).as("%s: %s", definition.getFileName(), result.output()).isTrue();
        }
    }

    @Test
    void aDefinitionWithADanglingTransition_isRejected(@TempDir Path dir) throws IOException {
        Path broken = dir.resolve("broken.asl.json");
        Files.writeString(broken, """
                {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}
                """);

        assertThat(AslValidator.validate(broken).valid()).isFalse();
    }

    /** The definitions in the repository. */
    static final class StateMachines {
        static List<Path> all() throws IOException {
            try (Stream<Path> files = Files.list(WorkflowPaths.root().resolve("statemachines"))) {
                return files.filter(p -> p.toString().endsWith(".asl.json")).sorted().toList();
            }
        }
    }
}
