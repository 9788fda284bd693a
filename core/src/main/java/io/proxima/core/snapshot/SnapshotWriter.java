package io.proxima.core.snapshot;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Big-endian primitive writer for snapshots and logged events (see {@link SnapshotFormat} for the
 * layout). Arrays are written as a length followed by the values; strings as UTF-8 with a length.
 *
 * <p>Writes straight into a growable array through byte-array views: a {@code DataOutputStream}
 * over a {@code ByteArrayOutputStream} takes a lock per byte of an int, which made encoding a
 * 256 × 8 report event cost as much as applying it.
 */
public final class SnapshotWriter {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private byte[] buf;
    private int pos;

    public SnapshotWriter() {
        this(1 << 12);
    }

    /** A writer whose first buffer holds {@code capacity} bytes (it grows as needed). */
    public SnapshotWriter(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    private void ensure(long more) {
        if (buf.length - pos < more) {
            long want = Math.max((long) buf.length * 2, pos + more);
            if (want > Integer.MAX_VALUE - 8) {
                if (pos + more > Integer.MAX_VALUE - 8) throw new IllegalStateException("snapshot larger than 2 GB");
                want = Integer.MAX_VALUE - 8;
            }
            buf = Arrays.copyOf(buf, (int) want);
        }
    }

    public void writeInt(int v) {
        ensure(4);
        INT.set(buf, pos, v);
        pos += 4;
    }

    public void writeLong(long v) {
        ensure(8);
        LONG.set(buf, pos, v);
        pos += 8;
    }

    public void writeDouble(double v) {
        writeLong(Double.doubleToRawLongBits(v));
    }

    public void writeFloat(float v) {
        writeInt(Float.floatToRawIntBits(v));
    }

    public void writeBoolean(boolean v) {
        writeInt(v ? 1 : 0);
    }

    public void writeString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        writeInt(b.length);
        ensure(b.length);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
    }

    public void writeInts(int[] a, int n) {
        writeInt(n);
        ensure(4L * n);
        for (int i = 0; i < n; i++, pos += 4) INT.set(buf, pos, a[i]);
    }

    public void writeFloats(float[] a, int n) {
        writeInt(n);
        ensure(4L * n);
        for (int i = 0; i < n; i++, pos += 4) INT.set(buf, pos, Float.floatToRawIntBits(a[i]));
    }

    public void writeDoubles(double[] a, int n) {
        writeInt(n);
        ensure(8L * n);
        for (int i = 0; i < n; i++, pos += 8) LONG.set(buf, pos, Double.doubleToRawLongBits(a[i]));
    }

    public void writeLongs(long[] a, int n) {
        writeInt(n);
        ensure(8L * n);
        for (int i = 0; i < n; i++, pos += 8) LONG.set(buf, pos, a[i]);
    }

    /** Bytes written so far. */
    public int size() {
        return pos;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }
}
