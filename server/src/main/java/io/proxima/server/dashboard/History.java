package io.proxima.server.dashboard;

import com.fasterxml.jackson.core.JsonGenerator;
import io.proxima.store.Curricula;

import java.io.IOException;
import java.io.Writer;

/**
 * The dashboard's history of one curriculum: a follower of its event log. It replays the logged
 * events, in order, on a copy of the curriculum of its own (the shadow) and records after each
 * report what the step did ({@link StepRow}, {@link ParamStepRow}) in a bounded ring.
 *
 * <p>Why a follower: the history is then exact and in log order (each row is the state right after
 * that report, never a later one read in a race), it costs the trainer's calls nothing (nothing
 * runs on the write path; a curriculum nobody looks at is not followed), and after a restart it is
 * rebuilt by the very same code, from the same log. The price is a second copy of the state of
 * each followed curriculum ({@link Histories} bounds how many are followed).
 */
interface History {
    /** The sequence number of the last event applied (the log position the history is at). */
    long seq();

    /** The sequence number the history starts after: 0, or the snapshot it started from when the log's start was deleted. */
    long from();

    /** Applies the next logged event ({@code e.seq() == seq() + 1}) to the shadow and records what it did. */
    void apply(Curricula.LoggedEvent e);

    /** The history as JSON: the newest {@code last} steps' series and the current state (docs/api.md, "Dashboard"). */
    void writeJson(JsonGenerator g, int last) throws IOException;

    /** One CSV row per recorded step, with a header. */
    void writeCsv(Writer w) throws IOException;
}
