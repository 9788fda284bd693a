package io.proxima.store;

/**
 * The database refused a write. The store stops acknowledging anything (its memory may now be
 * ahead of its log); restarting recovers the last durable state from the log.
 */
public final class StoreFailedException extends RuntimeException {
    public StoreFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
