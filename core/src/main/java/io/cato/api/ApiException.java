package io.cato.api;

/** A request Cato refuses or cannot serve, with the stable code the caller sees. */
public class ApiException extends RuntimeException {
    private final ErrorCode code;
    private final String param;

    public ApiException(ErrorCode code, String message) {
        this(code, message, (String) null);
    }

    /** @param param the request field at fault, as OpenAI's {@code error.param} names it */
    public ApiException(ErrorCode code, String message, String param) {
        super(message);
        this.code = code;
        this.param = param;
    }

    public static ApiException unsupported(String param, String message) {
        return new ApiException(ErrorCode.UNSUPPORTED_PARAMETER, message, param);
    }

    public ApiException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.param = null;
    }

    public java.util.Optional<String> param() {
        return java.util.Optional.ofNullable(param);
    }

    public ErrorCode code() {
        return code;
    }
}
