package io.proxima.store;

/** Something the request names does not exist: a curriculum (never created, or deleted), a checkpoint. */
public final class NotFoundException extends RuntimeException {
    private final String field;

    public NotFoundException(String field, String message) {
        super(message);
        this.field = field;
    }

    public static NotFoundException curriculum(String id) {
        return new NotFoundException("id", "curriculum '" + id + "' does not exist");
    }

    public String field() {
        return field;
    }
}
