package io.proxima.store;

import io.proxima.store.sqlite.SqliteDb;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Rebuilds a curriculum (of either {@link Kind}) from the database: the latest snapshot that
 * restores cleanly (else the empty curriculum of its configuration), then the events after it
 * replayed in order through the curriculum's API ({@link Engine#replay}). Replay stops at the first event that cannot be applied — a sequence gap,
 * a CRC mismatch, an undecodable payload, or a call the curriculum rejects — and that event and
 * everything after it move to the {@code quarantine} table: the curriculum resumes at the last
 * good event, and the reason is kept as its recovery note.
 */
final class Recovery {
    private static final Logger LOG = Logger.getLogger(Recovery.class.getName());

    /** A recovered curriculum, the event its newest snapshot covers, and what was quarantined (or null). */
    record Recovered(Engine engine, long lastSnapshot, String note) {}

    /** One row of the curricula table. */
    record Row(long cid, String name, Kind kind, String config) {}

    private Recovery() {}

    static List<Row> curricula(SqliteDb db) {
        return db.read(c -> {
            List<Row> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT cid, name, kind, config FROM curricula ORDER BY cid");
                 ResultSet rs = p.executeQuery()) {
                while (rs.next()) out.add(new Row(rs.getLong(1), rs.getString(2), Kind.parse(rs.getString(3)), rs.getString(4)));
            }
            return out;
        });
    }

    /** Latest readable snapshot + replay of the events after it; quarantines a tail that cannot be replayed. */
    static Recovered recover(SqliteDb db, long cid, String name, Kind kind, String configJson) {
        Engine empty = Engine.create(kind, configJson);
        // Latest snapshot that restores cleanly, else the empty curriculum.
        List<Long> snapshotSeqs = db.read(c -> {
            List<Long> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT seq FROM snapshots WHERE cid = ? ORDER BY seq DESC")) {
                p.setLong(1, cid);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) out.add(rs.getLong(1));
                }
            }
            return out;
        });
        Engine cur = null;
        long from = 0;
        for (long s : snapshotSeqs) {
            byte[] state = db.read(c -> {
                try (PreparedStatement p = c.prepareStatement("SELECT state FROM snapshots WHERE cid = ? AND seq = ?")) {
                    p.setLong(1, cid);
                    p.setLong(2, s);
                    try (ResultSet rs = p.executeQuery()) {
                        return rs.next() ? rs.getBytes(1) : null;
                    }
                }
            });
            try {
                Engine c = Engine.restore(kind, state);
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
        long start = from;
        // Replay the tail; stop at the first event that cannot be replayed.
        String[] bad = new String[1];
        long[] badSeq = {-1};
        db.read(conn -> {
            boolean auto = conn.getAutoCommit();
            conn.setAutoCommit(false);
            try (PreparedStatement p = conn.prepareStatement("SELECT seq, payload, crc FROM events WHERE cid = ? AND seq > ? ORDER BY seq")) {
                p.setLong(1, cid);
                p.setLong(2, start);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        long seq = rs.getLong(1);
                        byte[] payload = rs.getBytes(2);
                        long crc = rs.getLong(3);
                        String why = null;
                        if (seq != c.events() + 1) why = "gap: expected event " + (c.events() + 1) + ", found " + seq;
                        else if (payload == null || EventCodec.crc(payload) != crc) why = "checksum mismatch";
                        else {
                            try {
                                c.replay(EventCodec.decode(payload));
                            } catch (RuntimeException e) {
                                why = "cannot replay: " + e.getMessage();
                            }
                        }
                        if (why != null) {
                            bad[0] = why;
                            badSeq[0] = seq;
                            break;
                        }
                    }
                }
            } finally {
                conn.rollback();
                conn.setAutoCommit(auto);
            }
            return null;
        });
        String note = null;
        if (bad[0] != null) {
            long at = badSeq[0];
            note = "event " + at + " and later were quarantined at recovery (" + bad[0] + "); resumed at event " + c.events();
            LOG.warning("curriculum '" + name + "': " + note);
            long keep = c.events();
            db.write(tx -> {
                PreparedStatement p = tx.ps("INSERT INTO quarantine(cid, seq, kind, key, payload, reason) SELECT cid, seq, kind, key, payload, ? FROM events WHERE cid = ? AND seq > ?");
                p.setString(1, bad[0]);
                p.setLong(2, cid);
                p.setLong(3, keep);
                p.executeUpdate();
                for (String t : List.of("events", "snapshots", "checkpoints")) {
                    p = tx.ps("DELETE FROM " + t + " WHERE cid = ? AND seq > ?");
                    p.setLong(1, cid);
                    p.setLong(2, keep);
                    p.executeUpdate();
                }
            });
        }
        return new Recovered(c, from, note);
    }

}
