package io.proxima.store;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Faults for tests: armed for one stage and operation (or every operation), once or until
 * disarmed (a disk that stays full); counts the faults it threw.
 */
final class InjectedFaults implements Faults {
    /** What an injected fault throws (the committer wraps it in a {@link StoreFailedException}). */
    static final class Fault extends RuntimeException {
        Fault(String message) {
            super(message);
        }
    }

    private volatile Stage stage;
    private volatile String operation;
    private volatile boolean persistent;
    private final AtomicInteger fired = new AtomicInteger();

    /** One fault at {@code stage} of the next call of {@code operation} (null: of any operation). */
    InjectedFaults once(Stage s, String op) {
        persistent = false;
        operation = op;
        stage = s;
        return this;
    }

    /** A fault at {@code stage} of every call of {@code operation} (null: any) until {@link #disarm}. */
    InjectedFaults always(Stage s, String op) {
        persistent = true;
        operation = op;
        stage = s;
        return this;
    }

    void disarm() {
        stage = null;
    }

    int fired() {
        return fired.get();
    }

    boolean armed() {
        return stage != null;
    }

    @Override
    public void check(Stage s, String curriculum, String op) {
        Stage armed = stage;
        if (armed != s) return;
        String want = operation;
        if (want != null && !want.equals(op)) return;
        if (!persistent) stage = null;
        fired.incrementAndGet();
        throw new Fault("injected fault at " + s + " of " + op + (curriculum == null ? "" : " on " + curriculum));
    }
}
