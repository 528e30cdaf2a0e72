package io.cato.routing.training;

import io.cato.digest.Sha256;
import io.cato.embedding.MiniLmTokenEncoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pooled MiniLM vectors of prompt lists, computed by the same {@link MiniLmTokenEncoder} the gateway runs, and kept
 * on disk so that training and evaluation runs pay for each model pass once. The file name is a hash of the texts,
 * so an edited data file never reads stale vectors. Files are little-endian float32 rows.
 */
final class RouterEmbeddings implements AutoCloseable {

    private final Path directory;
    private final int threads;
    private MiniLmTokenEncoder encoder;

    RouterEmbeddings(Path directory, int threads) {
        this.directory = directory;
        this.threads = Math.max(1, threads);
    }

    /** {@code --embeddings DIR} (default {@code .cato/router-embeddings}) and {@code --threads N}. */
    static RouterEmbeddings fromFlags(java.util.Map<String, String> flags) {
        return new RouterEmbeddings(Path.of(flags.getOrDefault("embeddings", ".cato/router-embeddings")),
                Integer.parseInt(flags.getOrDefault("threads",
                        Integer.toString(Runtime.getRuntime().availableProcessors()))));
    }

    float[][] embed(List<String> texts) throws IOException {
        Path file = directory.resolve("minilm-pooled-" + key(texts) + ".f32");
        if (Files.exists(file)) {
            return read(file, texts.size());
        }
        float[][] vectors = compute(texts);
        Files.createDirectories(directory);
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        write(partial, vectors);
        Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return vectors;
    }

    private float[][] compute(List<String> texts) throws IOException {
        MiniLmTokenEncoder model = encoder();
        float[][] vectors = new float[texts.size()][];
        AtomicInteger done = new AtomicInteger();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> parts = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                parts.add(pool.submit(() -> {
                    for (int i = first; i < texts.size(); i += threads) {
                        vectors[i] = model.encode(texts.get(i)).pooled();
                        if (done.incrementAndGet() % 1000 == 0) {
                            System.err.printf("  embedded %d/%d (%.1f s)%n", done.get(), texts.size(),
                                    (System.nanoTime() - start) / 1e9);
                        }
                    }
                }));
            }
            for (Future<?> part : parts) {
                part.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while embedding", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("embedding failed", e.getCause());
        }
        return vectors;
    }

    private MiniLmTokenEncoder encoder() {
        if (encoder == null) {
            encoder = MiniLmTokenEncoder.load(1);
        }
        return encoder;
    }

    private static float[][] read(Path file, int rows) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int dim = rows == 0 ? 0 : buffer.remaining() / 4 / rows;
        float[][] vectors = new float[rows][dim];
        for (float[] row : vectors) {
            buffer.asFloatBuffer().get(row);
            buffer.position(buffer.position() + dim * 4);
        }
        return vectors;
    }

    private static void write(Path file, float[][] vectors) throws IOException {
        int dim = vectors.length == 0 ? 0 : vectors[0].length;
        ByteBuffer buffer = ByteBuffer.allocate(vectors.length * dim * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] row : vectors) {
            for (float value : row) {
                buffer.putFloat(value);
            }
        }
        Files.write(file, buffer.array());
    }

    private static String key(List<String> texts) {
        StringBuilder joined = new StringBuilder();
        for (String text : texts) {
            joined.append(text).append('\u0000');
        }
        return Sha256.hexPrefix(joined.toString(), 8);
    }

    @Override
    public void close() {
        if (encoder != null) {
            encoder.close();
        }
    }
}
