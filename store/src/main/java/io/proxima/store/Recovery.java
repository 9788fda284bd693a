package io.proxima.store;

import java.util.List;
import java.util.logging.Logger;

/**
 * Rebuilds a curriculum (of either {@link Kind}) from its {@link CurriculumLog}: the latest snapshot
 * that restores cleanly (else the empty curriculum of its configuration), then the events after it
 * replayed in order through the curriculum's API ({@link Engine#replay}). Replay stops at the first event that cannot be applied — a sequence gap,
 * a CRC mismatch, an undecodable payload, or a call the curriculum rejects — and that event and
 * everything after it move to quarantine ({@link CurriculumLog.Write.QuarantineAfter}): the
 * curriculum resumes at the last good event, and the reason is kept as its recovery note.
 */
final class Recovery {
    private static final Logger LOG = Logger.getLogger(Recovery.class.getName());

    /** A recovered curriculum, the event its newest snapshot covers, and what was quarantined (or null). */
    record Recovered(Engine engine, long lastSnapshot, String note) {}

    private Recovery() {}

    /** Latest readable snapshot + replay of the events after it; quarantines a tail that cannot be replayed. */
    static Recovered recover(CurriculumLog log, long cid, String name, Kind kind, String configJson) {
        Engine empty = Engine.create(kind, configJson);
        // Latest snapshot that restores cleanly, else the empty curriculum.
        Engine cur = null;
        long from = 0;
        for (long s : log.snapshotSeqs(cid)) {
            CurriculumLog.StoredSnapshot snap = log.snapshot(cid, s);
            try {
                if (snap == null) throw new IllegalArgumentException("snapshot is gone");
                Engine c = Engine.restore(kind, snap.state());
                if (c.events() != s) throw new IllegalArgumentException("snapshot covers " + c.events() + " events, row says " + s);
                if (!c.configJson().equals(empty.configJson())) throw new IllegalArgumentException("snapshot of another configuration");
                cur = c;
                from = s;
                break;
            } catch (RuntimeException e) {
                LOG.warning("curriculum '" + name + "': snapshot at event " + s + " is unreadable (" + e.getMessage() + "), trying an older one");
            }
        }
        if (cur == null) cur = empty;
        Engine c = cur;
        // Replay the tail; stop at the first event that cannot be replayed.
        String[] bad = new String[1];
        long[] badSeq = {-1};
        log.events(cid, from, Long.MAX_VALUE, e -> {
            long seq = e.seq();
            String why = null;
            if (seq != c.events() + 1) why = "gap: expected event " + (c.events() + 1) + ", found " + seq;
            else if (e.payload() == null || EventCodec.crc(e.payload()) != e.crc()) why = "checksum mismatch";
            else {
                try {
                    c.replay(EventCodec.decode(e.payload()));
                } catch (RuntimeException x) {
                    why = "cannot replay: " + x.getMessage();
                }
            }
            if (why == null) return true;
            bad[0] = why;
            badSeq[0] = seq;
            return false;
        });
        String note = null;
        if (bad[0] != null) {
            note = "event " + badSeq[0] + " and later were quarantined at recovery (" + bad[0] + "); resumed at event " + c.events();
            LOG.warning("curriculum '" + name + "': " + note);
            joinWrite(log.submit(List.of(new CurriculumLog.Write.QuarantineAfter(cid, name, c.events(), bad[0]))));
        }
        return new Recovered(c, from, note);
    }

    private static void joinWrite(java.util.concurrent.CompletableFuture<Void> f) {
        try {
            f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
    }
}
