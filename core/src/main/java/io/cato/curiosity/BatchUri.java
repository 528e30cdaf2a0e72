package io.cato.curiosity;

/** An {@code s3://bucket/key} address, as batch jobs name their input and output. */
public record BatchUri(String bucket, String key) {

    public static BatchUri parse(String uri) {
        if (uri == null || !uri.startsWith("s3://")) {
            throw new IllegalArgumentException("not an s3:// URI: " + uri);
        }
        String rest = uri.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException("no bucket in " + uri);
        }
        return new BatchUri(bucket, slash < 0 ? "" : rest.substring(slash + 1));
    }

    public static String of(String bucket, String key) {
        return "s3://" + bucket + "/" + key;
    }

    @Override
    public String toString() {
        return of(bucket, key);
    }
}
