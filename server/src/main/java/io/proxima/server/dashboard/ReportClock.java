package io.proxima.server.dashboard;

import java.util.concurrent.ConcurrentHashMap;

/**
 * When each curriculum was last reported to through this server (wall-clock milliseconds): the
 * dashboard's "last report", which tells whether a trainer is still alive. The core has no clock
 * and the log keeps none, so this is the server's own reading, lost on restart (shown as unknown).
 */
public final class ReportClock {
    private final ConcurrentHashMap<String, Long> last = new ConcurrentHashMap<>();

    public void reported(String id, long epochMillis) {
        last.merge(id, epochMillis, Math::max);
    }

    /** The last report's time, or -1 if none since the server started. */
    public long last(String id) {
        Long t = last.get(id);
        return t == null ? -1 : t;
    }

    public void forget(String id) {
        last.remove(id);
    }
}
