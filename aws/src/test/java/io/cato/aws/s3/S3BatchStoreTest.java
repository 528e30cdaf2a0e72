package io.cato.aws.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.cato.aws.testing.Moto;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** The S3 batch store against moto's S3 through the real SDK. */
class S3BatchStoreTest {
    private final Moto moto = Moto.shared();
    private final S3Client s3 = moto.s3();
    private final S3BatchStore store = new S3BatchStore(s3);
    private final String bucket = moto.freshBucket();

    @AfterEach
    void close() {
        s3.close();
    }

    @Test
    void writtenObjects_areReadBack_andListedUnderTheirPrefixInKeyOrder() {
        String prefix = "s3://" + bucket + "/output/curiosity/run/job1/";
        store.write(prefix + "records.jsonl.out", "{\"recordId\":\"R0000000000\"}\n".getBytes(StandardCharsets.UTF_8));
        store.write(prefix + "manifest.json.out", "{\"totalRecordCount\":1}".getBytes(StandardCharsets.UTF_8));
        store.write("s3://" + bucket + "/input/curiosity/run/records.jsonl", new byte[] {1});

        assertThat(store.list(prefix)).containsExactly(prefix + "manifest.json.out", prefix + "records.jsonl.out");
        assertThat(store.read(prefix + "manifest.json.out")).get()
                .extracting(b -> new String(b, StandardCharsets.UTF_8)).isEqualTo("{\"totalRecordCount\":1}");
    }

    @Test
    void readingAMissingObject_isEmpty() {
        assertThat(store.read("s3://" + bucket + "/input/none.jsonl")).isEmpty();
    }

    @Test
    void listingPastOnePage_returnsEveryObject() {
        String prefix = "s3://" + bucket + "/many/";
        for (int i = 0; i < 1005; i++) {
            store.write(prefix + String.format("%04d", i), new byte[0]);
        }

        assertThat(store.list(prefix)).hasSize(1005).isSorted();
    }
}
