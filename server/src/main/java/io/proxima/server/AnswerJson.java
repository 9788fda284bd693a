package io.proxima.server;

import com.fasterxml.jackson.core.io.NumberOutput;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Compact JSON written straight into a byte array, for the answers of every trainer step (report
 * verdicts, selected tasks). It writes exactly what Jackson's generator as configured in
 * {@link Codec} writes — the same escapes ({@code \"}, {@code \\}, {@code \b \t \n \f \r}, other
 * controls as {@code \}{@code u00XX} in upper case; non-ASCII as UTF-8), the same digits for doubles
 * (Jackson's own {@link NumberOutput}, Schubfach), characters beyond the BMP as two
 * escaped surrogates — so a retry answered from the stored form by a
 * later version gets the bytes of the first answer (AnswerJsonTest compares the two writers). Why
 * not the generator: creating one per answer, its buffers, a stream and a copy were half of
 * rendering a step's answer.
 */
final class AnswerJson {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private byte[] buf;
    private int pos;

    AnswerJson(int sizeHint) {
        buf = new byte[Math.max(64, sizeHint)];
    }

    private void ensure(int more) {
        if (buf.length - pos < more) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
    }

    /** ASCII text as it is (syntax and field names: constants of this package). */
    AnswerJson raw(String ascii) {
        int n = ascii.length();
        ensure(n);
        for (int i = 0; i < n; i++) buf[pos++] = (byte) ascii.charAt(i);
        return this;
    }

    AnswerJson raw(char c) {
        ensure(1);
        buf[pos++] = (byte) c;
        return this;
    }

    /** A quoted string, escaped as Jackson escapes it. */
    AnswerJson string(String s) {
        int n = s.length();
        ensure(2 + 6 * n); // the longest escape of a char is 6 bytes; a char's UTF-8 at most 3 (a pair: 4 for 2)
        buf[pos++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    buf[pos++] = (byte) c;
                    continue;
                }
                buf[pos++] = '\\';
                switch (c) {
                    case '"', '\\' -> buf[pos++] = (byte) c;
                    case '\b' -> buf[pos++] = 'b';
                    case '\t' -> buf[pos++] = 't';
                    case '\n' -> buf[pos++] = 'n';
                    case '\f' -> buf[pos++] = 'f';
                    case '\r' -> buf[pos++] = 'r';
                    default -> {
                        buf[pos++] = 'u';
                        buf[pos++] = '0';
                        buf[pos++] = '0';
                        buf[pos++] = HEX[c >> 4];
                        buf[pos++] = HEX[c & 0xf];
                    }
                }
            } else if (c < 0x800) {
                buf[pos++] = (byte) (0xc0 | (c >> 6));
                buf[pos++] = (byte) (0x80 | (c & 0x3f));
            } else if (Character.isSurrogate(c)) {
                // as Jackson (2.18+) writes characters beyond the BMP: each half of the pair as \\uXXXX
                buf[pos++] = '\\';
                buf[pos++] = 'u';
                buf[pos++] = HEX[c >> 12];
                buf[pos++] = HEX[(c >> 8) & 0xf];
                buf[pos++] = HEX[(c >> 4) & 0xf];
                buf[pos++] = HEX[c & 0xf];
            } else {
                buf[pos++] = (byte) (0xe0 | (c >> 12));
                buf[pos++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                buf[pos++] = (byte) (0x80 | (c & 0x3f));
            }
        }
        buf[pos++] = '"';
        return this;
    }

    AnswerJson number(long v) {
        ensure(20);
        pos = NumberOutput.outputLong(v, buf, pos);
        return this;
    }

    /** A finite double in Jackson's digits; NaN and the infinities as {@code null} (as {@link Codec#num}). */
    AnswerJson number(double v) {
        return Double.isFinite(v) ? raw(NumberOutput.toString(v, true)) : raw("null");
    }

    AnswerJson bool(boolean v) {
        return raw(v ? "true" : "false");
    }

    byte[] toByteArray() {
        return pos == buf.length ? buf : Arrays.copyOf(buf, pos);
    }
}
