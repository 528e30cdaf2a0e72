package io.cato.verifier;

import io.cato.embedding.MiniLmTokenEncoder;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/** Fills the on-disk encoding cache for the given pair files: {@code cacheFile pairs.jsonl...}. */
public final class PrecomputeEncodings {

    private PrecomputeEncodings() {
    }

    public static void main(String[] args) throws Exception {
        Path cache = Path.of(args[0]);
        Set<String> texts = new LinkedHashSet<>();
        for (int i = 1; i < args.length; i++) {
            for (QqpPair pair : QqpPairs.read(Path.of(args[i]))) {
                texts.add(pair.textA());
                texts.add(pair.textB());
            }
        }
        var encodings = EncodingCache.loadOrBuild(cache, texts, () -> MiniLmTokenEncoder.load(1));
        System.out.printf("cache holds %d encodings%n", encodings.size());
    }
}
