package io.cato.aws.s3;

import io.cato.dependency.DependencyUnavailableException;
import io.cato.curiosity.BatchStore;
import io.cato.curiosity.BatchUri;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Batch input and output in S3. */
public final class S3BatchStore implements BatchStore {
    private final S3Client s3;

    public S3BatchStore(S3Client s3) {
        this.s3 = s3;
    }

    @Override
    public void write(String uri, byte[] content) {
        BatchUri at = BatchUri.parse(uri);
        call(at, () -> s3.putObject(p -> p.bucket(at.bucket()).key(at.key()), RequestBody.fromBytes(content)));
    }

    @Override
    public Optional<byte[]> read(String uri) {
        BatchUri at = BatchUri.parse(uri);
        try {
            return Optional.of(call(at, () -> s3.getObjectAsBytes(g -> g.bucket(at.bucket()).key(at.key()))
                    .asByteArray()));
        } catch (DependencyUnavailableException e) {
            if (e.getCause() instanceof NoSuchKeyException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public List<String> list(String prefixUri) {
        BatchUri at = BatchUri.parse(prefixUri);
        List<String> uris = new ArrayList<>();
        String token = null;
        do {
            String from = token;
            ListObjectsV2Response page = call(at, () -> s3.listObjectsV2(l -> l.bucket(at.bucket()).prefix(at.key())
                    .continuationToken(from)));
            for (S3Object object : page.contents()) {
                uris.add(BatchUri.of(at.bucket(), object.key()));
            }
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
        return uris;
    }

    private static <T> T call(BatchUri at, Supplier<T> action) {
        try {
            return action.get();
        } catch (SdkException e) {
            throw new DependencyUnavailableException("s3:" + at.bucket(), e);
        }
    }
}
