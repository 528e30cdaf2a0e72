package io.cato.verifier;

import io.cato.embedding.EncodedQuery;
import io.cato.embedding.MiniLmTokenEncoder;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Encodings of a training corpus kept on disk, so the trainer can be rerun without paying for
 * some hundred thousand model passes again. The file is append-only, so an interrupted run
 * keeps what it had encoded.
 */
public final class EncodingCache {

    private static final int FLUSH_EVERY = 2_000;

    private EncodingCache() {
    }

    public static Map<String, EncodedQuery> loadOrBuild(Path file, Collection<String> texts,
                                                        MiniLmTokenEncoderSupplier encoders) throws IOException {
        Map<String, EncodedQuery> cached = load(file);
        Set<String> missing = new LinkedHashSet<>(texts);
        missing.removeAll(cached.keySet());
        if (missing.isEmpty()) {
            return cached;
        }
        System.out.printf("encoding %d texts (%d already cached)%n", missing.size(), cached.size());
        long start = System.nanoTime();
        try (MiniLmTokenEncoder encoder = encoders.get();
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file,
                     StandardOpenOption.CREATE, StandardOpenOption.APPEND), 1 << 16))) {
            int done = 0;
            for (String text : missing) {
                EncodedQuery query = encoder.encode(text);
                query.writeTo(out);
                cached.put(text, query);
                if (++done % FLUSH_EVERY == 0) {
                    out.flush();
                    double seconds = (System.nanoTime() - start) / 1e9;
                    System.out.printf("  encoded %d/%d (%.1f ms/text)%n", done, missing.size(), 1000 * seconds / done);
                }
            }
        }
        return cached;
    }

    static Map<String, EncodedQuery> load(Path file) throws IOException {
        Map<String, EncodedQuery> cached = new HashMap<>();
        if (!Files.exists(file)) {
            return cached;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            while (true) {
                EncodedQuery query = EncodedQuery.readFrom(in);
                cached.put(query.text(), query);
            }
        } catch (EOFException endOfFile) {
            // A run killed mid-record leaves a truncated tail; the complete records before it are kept.
            return cached;
        }
    }

    /** Defers loading the model until something actually needs encoding. */
    @FunctionalInterface
    public interface MiniLmTokenEncoderSupplier {
        MiniLmTokenEncoder get();
    }
}
