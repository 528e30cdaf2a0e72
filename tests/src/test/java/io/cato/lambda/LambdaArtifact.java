package io.cato.lambda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * One function's deployment artifact as the Makefile makes it for {@code sam build}: the module's
 * shaded {@code *-lambda.jar} (from the reactor's package phase) unpacked into a folder, without
 * {@code META-INF/maven}, the exec wrapper made executable again. {@code sam deploy} zips that folder.
 */
record LambdaArtifact(String module, Path jar) {
    /** Lambda's limit for a function's code, unzipped, layers included. */
    static final long UNZIPPED_LIMIT = 250L * 1024 * 1024;

    static final List<String> FUNCTION_MODULES = List.of("functions/route", "functions/consolidate",
            "functions/batch-curiosity");

    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("template.yaml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("template.yaml not found above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    static LambdaArtifact of(String module) {
        Path target = repositoryRoot().resolve(module).resolve("target");
        try (Stream<Path> files = Files.list(target)) {
            Path jar = files.filter(p -> p.getFileName().toString().endsWith("-lambda.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no *-lambda.jar in " + target
                            + ": package the function modules first (mvn package)"));
            return new LambdaArtifact(module, jar);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Unpacks the artifact into {@code dir} the way the Makefile does; returns {@code dir}. */
    Path unpack(Path dir) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                if (entry.getName().startsWith("META-INF/maven/")) {
                    continue;
                }
                Path out = dir.resolve(entry.getName()).normalize();
                if (!out.startsWith(dir)) {
                    throw new IOException("entry outside the folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, out);
                }
            }
        }
        Path wrapper = dir.resolve("stream-bootstrap");
        if (Files.exists(wrapper)) {
            Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return dir;
    }

    /** Bytes of every file under {@code dir}: what Lambda counts against the unzipped limit. */
    static long unzippedSize(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
    }

    /** Every file's path relative to {@code dir}, with '/' separators. */
    static List<String> entries(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        }
    }
}
