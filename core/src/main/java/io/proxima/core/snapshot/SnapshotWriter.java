package io.proxima.core.snapshot;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Big-endian primitive writer for snapshots (see {@link SnapshotFormat} for the layout).
 * Arrays are written as a length followed by the values; strings as modified UTF-8 with a length.
 */
public final class SnapshotWriter {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 12);
    private final DataOutputStream out = new DataOutputStream(bytes);

    public void writeInt(int v) {
        try {
            out.writeInt(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void writeLong(long v) {
        try {
            out.writeLong(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        writeInt(b.length);
        try {
            out.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void writeInts(int[] a, int n) {
        writeInt(n);
        for (int i = 0; i < n; i++) writeInt(a[i]);
    }

    public void writeFloats(float[] a, int n) {
        writeInt(n);
        for (int i = 0; i < n; i++) writeFloat(a[i]);
    }

    public void writeDoubles(double[] a, int n) {
        writeInt(n);
        for (int i = 0; i < n; i++) writeDouble(a[i]);
    }

    public void writeLongs(long[] a, int n) {
        writeInt(n);
        for (int i = 0; i < n; i++) writeLong(a[i]);
    }

    public byte[] toByteArray() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
