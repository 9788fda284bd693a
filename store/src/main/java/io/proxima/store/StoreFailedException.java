package io.proxima.store;

/**
 * The database refused a write (or is closed). The call that got it changed nothing: the
 * curriculum was rebuilt from its log before this was thrown. The store refuses writes until one
 * succeeds again ({@link Curricula#resume}, also tried in the background).
 */
public final class StoreFailedException extends RuntimeException {
    public StoreFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
