package io.proxima.server;

/** A request the server refuses: an HTTP status, the offending field (or "body") and a message. */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String field;

    public ApiException(int status, String field, String message) {
        super(message);
        this.status = status;
        this.field = field;
    }

    public static ApiException bad(String field, String message) {
        return new ApiException(400, field, message);
    }

    public int status() {
        return status;
    }

    public String field() {
        return field;
    }
}
