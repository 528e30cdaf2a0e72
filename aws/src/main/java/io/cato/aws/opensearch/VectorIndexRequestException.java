package io.cato.aws.opensearch;

/**
 * OpenSearch refused a request of the vector index for a reason retrying will not fix (a
 * missing index, a mapping conflict, a malformed query). Carries the index, the operation and
 * what OpenSearch answered; never document text.
 */
public class VectorIndexRequestException extends RuntimeException {
    private final String index;
    private final String operation;
    private final int status;

    public VectorIndexRequestException(String index, String operation, int status, String errorType,
                                       Throwable cause) {
        super("opensearch index " + index + " refused " + operation + ": HTTP " + status + " " + errorType, cause);
        this.index = index;
        this.operation = operation;
        this.status = status;
    }

    public String index() {
        return index;
    }

    public String operation() {
        return operation;
    }

    public int status() {
        return status;
    }
}
