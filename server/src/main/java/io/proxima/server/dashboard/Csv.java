package io.proxima.server.dashboard;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/** RFC 4180 CSV: a field with a comma, quote or line break is quoted, quotes doubled; lines end with CRLF. */
final class Csv {
    private Csv() {}

    static void row(Writer w, List<String> cells) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) w.write(',');
            w.write(field(cells.get(i)));
        }
        w.write("\r\n");
    }

    static String field(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /** A number as Java prints a double (shortest exact repeat), integers without ".0"; NaN and infinities empty. */
    static String number(double v) {
        if (!Double.isFinite(v)) return "";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return Double.toString(v);
    }
}
