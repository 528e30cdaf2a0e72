package io.cato.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Closing the encoder while requests still encode (a server shutting down under load). */
class MiniLmTokenEncoderCloseTest {

    @Test
    void close_whileOtherThreadsEncode_letsThemFinishAndRefusesLaterEncodings() throws Exception {
        MiniLmTokenEncoder encoder = MiniLmTokenEncoder.load(1);
        int threads = 4;
        AtomicInteger encoded = new AtomicInteger();
        CountDownLatch warm = new CountDownLatch(threads * 5);
        List<Throwable> endings = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int worker = i;
            workers.add(Thread.ofPlatform().start(() -> {
                Throwable ending = null;
                try {
                    for (int n = 0; ; n++) {
                        EncodedQuery q = encoder.encode("How do I keep question " + worker + "-" + n + " apart?");
                        assertThat(q.pooled()).hasSize(EncodedQuery.DIMENSION);
                        encoded.incrementAndGet();
                        warm.countDown();
                    }
                } catch (Throwable t) {
                    ending = t;
                }
                synchronized (endings) {
                    endings.add(ending);
                }
            }));
        }
        warm.await();

        encoder.close();
        for (Thread t : workers) {
            t.join(30_000);
        }

        assertThat(encoded.get()).isGreaterThanOrEqualTo(threads * 5);
        assertThat(endings).hasSize(threads).allSatisfy(ending -> assertThat(ending)
                .isInstanceOf(IllegalStateException.class).hasMessage("the MiniLM encoder is closed"));
        assertThatThrownBy(() -> encoder.encode("Anything after close?"))
                .isInstanceOf(IllegalStateException.class).hasMessage("the MiniLM encoder is closed");
    }

    @Test
    void close_twice_isHarmless() {
        MiniLmTokenEncoder encoder = MiniLmTokenEncoder.load(1);
        encoder.close();
        encoder.close();
        assertThatThrownBy(() -> encoder.encode("still there?")).isInstanceOf(IllegalStateException.class);
    }
}
