package io.cato.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The embedded default's admin token: the configured one, or one generated at first start and
 * kept (readable by its owner only) in the data directory. {@link #generated} tells whether this
 * start created it, so it is printed exactly once.
 */
record AdminToken(String value, boolean generated) {
    private static final String FILE = "admin-token";

    static AdminToken resolve(Optional<String> configured, Path dataDir) {
        if (configured.isPresent()) {
            return new AdminToken(configured.get(), false);
        }
        Path file = dataDir.resolve(FILE);
        try {
            if (Files.exists(file)) {
                return new AdminToken(Files.readString(file).strip(), false);
            }
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            Files.createDirectories(dataDir);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, token);
            return new AdminToken(token, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the admin token in " + file, e);
        }
    }
}
