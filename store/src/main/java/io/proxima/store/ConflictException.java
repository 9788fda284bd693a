package io.proxima.store;

/** The request contradicts what is stored: an id already taken, a batch id reused for other content. */
public final class ConflictException extends RuntimeException {
    private final String field;

    public ConflictException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
