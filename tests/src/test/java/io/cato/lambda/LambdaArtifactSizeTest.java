package io.cato.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each function's artifact, unpacked as {@code sam build} leaves it, fits Lambda's 250 MB limit
 * and holds only what runs on Lambda's Linux x86_64: no other OS's natives, no debug symbols, no
 * Lucene (the functions use OpenSearch), no DynamoDB Local, no offline training code.
 */
class LambdaArtifactSizeTest {
    @TempDir
    Path dir;

    static List<String> functions() {
        return LambdaArtifact.FUNCTION_MODULES;
    }

    @ParameterizedTest
    @MethodSource("functions")
    void unpackedArtifact_fitsLambdasLimitAndHoldsOnlyWhatTheFunctionRuns(String module) throws IOException {
        LambdaArtifact artifact = LambdaArtifact.of(module);
        Path unpacked = artifact.unpack(dir);
        long unzipped = LambdaArtifact.unzippedSize(unpacked);
        long zipped = Files.size(artifact.jar());
        List<String> entries = LambdaArtifact.entries(unpacked);
        System.out.printf("%s: %,d bytes unzipped, %,d bytes zipped (jar), %,d files%n", module, unzipped, zipped,
                entries.size());

        assertThat(unzipped).as("%s unzipped", module).isLessThan(LambdaArtifact.UNZIPPED_LIMIT);
        assertThat(entries).as("debug symbols").noneMatch(e -> e.endsWith(".pdb") || e.contains(".dSYM/"));
        assertThat(entries).as("Windows and macOS natives").noneMatch(e -> e.endsWith(".dll") || e.endsWith(".dylib")
                || e.endsWith(".jnilib") || e.contains("/win-") || e.contains("/osx-") || e.contains("/darwin-"));
        assertThat(entries).as("natives of another Linux architecture")
                .noneMatch(e -> e.contains("linux-aarch64") || e.contains("linux-arm") || e.contains("linux-ppc")
                        || e.contains("linux-s390x") || e.contains("linux-riscv") || e.contains("linux-x86/"));
        assertThat(entries).as("Lucene").noneMatch(e -> e.startsWith("org/apache/lucene/"));
        assertThat(entries).as("DynamoDB Local and sqlite4java")
                .noneMatch(e -> e.startsWith("com/amazonaws/services/dynamodbv2/local/")
                        || e.startsWith("com/almworks/sqlite4java/") || e.contains("sqlite4java"));
        assertThat(entries).as("the x86_64 natives it needs").contains(
                "ai/onnxruntime/native/linux-x64/libonnxruntime.so",
                "native/lib/linux-x86_64/cpu/libtokenizers.so");
        Set<String> training = trainingClasses();
        assertThat(training).as("the training module's classes").isNotEmpty();
        assertThat(entries).as("training and evaluation classes").noneMatch(training::contains)
                .noneMatch(e -> e.startsWith("io/cato/routing/training/"));
    }

    /** Every class the offline training module compiles (training/target/classes). */
    private static Set<String> trainingClasses() throws IOException {
        Path classes = LambdaArtifact.repositoryRoot().resolve("training/target/classes");
        try (Stream<Path> files = Files.walk(classes)) {
            return files.filter(p -> p.toString().endsWith(".class"))
                    .map(p -> classes.relativize(p).toString().replace('\\', '/')).collect(Collectors.toSet());
        }
    }
}
