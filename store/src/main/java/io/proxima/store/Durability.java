package io.proxima.store;

import java.util.Locale;

/** When an acknowledged request is durable. */
public enum Durability {
    /** Each request commits (and fsyncs) its own transaction before it is answered. */
    SYNC,
    /**
     * Requests that arrive together, from any curricula, share one transaction (group commit,
     * waiting at most the group window for more); each is answered only after that commit.
     */
    GROUP,
    /**
     * Requests are answered once their transaction is committed into the write-ahead log by a
     * {@code write()} to the operating system, without waiting for an fsync: an acknowledged
     * request survives the end of the server's process (kill -9, a crash of the JVM), not a crash
     * of the operating system or a power loss, which may take back the requests acknowledged
     * since the WAL was last fsynced (by a checkpoint, every 100 ms in the
     * background) — a suffix of them, never one in the middle. The contract of PostgreSQL's
     * {@code synchronous_commit=off} or Redis' {@code appendfsync no}. Requests that arrive
     * together share a transaction, committed by the request thread that finds the store idle
     * (no committer thread to hand over to and be woken by).
     */
    PROCESS;

    public static Durability parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("durability must be 'sync', 'group' or 'process', got '" + s + "'");
        }
    }
}
