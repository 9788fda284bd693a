package io.proxima.core.snapshot;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Reads what {@link SnapshotWriter} wrote; a truncated or corrupt input fails with a clear message. */
public final class SnapshotReader {
    private final ByteBuffer in;

    public SnapshotReader(byte[] bytes) {
        this.in = ByteBuffer.wrap(bytes);
    }

    public int readInt() {
        try {
            return in.getInt();
        } catch (BufferUnderflowException e) {
            throw truncated();
        }
    }

    public long readLong() {
        try {
            return in.getLong();
        } catch (BufferUnderflowException e) {
            throw truncated();
        }
    }

    public double readDouble() {
        return Double.longBitsToDouble(readLong());
    }

    public float readFloat() {
        return Float.intBitsToFloat(readInt());
    }

    public boolean readBoolean() {
        int v = readInt();
        if (v != 0 && v != 1) throw new IllegalArgumentException("corrupt snapshot: boolean field holds " + v);
        return v == 1;
    }

    public String readString() {
        byte[] b = new byte[length()];
        try {
            in.get(b);
        } catch (BufferUnderflowException e) {
            throw truncated();
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    public int[] readInts() {
        int[] a = new int[length()];
        for (int i = 0; i < a.length; i++) a[i] = readInt();
        return a;
    }

    public float[] readFloats() {
        float[] a = new float[length()];
        for (int i = 0; i < a.length; i++) a[i] = readFloat();
        return a;
    }

    public double[] readDoubles() {
        double[] a = new double[length()];
        for (int i = 0; i < a.length; i++) a[i] = readDouble();
        return a;
    }

    public long[] readLongs() {
        long[] a = new long[length()];
        for (int i = 0; i < a.length; i++) a[i] = readLong();
        return a;
    }

    public boolean atEnd() {
        return !in.hasRemaining();
    }

    public int position() {
        return in.position();
    }

    private int length() {
        int n = readInt();
        if (n < 0 || n > in.remaining()) {
            throw new IllegalArgumentException("corrupt snapshot: length " + n + " at byte " + (in.position() - 4)
                    + " exceeds the " + in.remaining() + " bytes left");
        }
        return n;
    }

    private static IllegalArgumentException truncated() {
        return new IllegalArgumentException("corrupt snapshot: truncated");
    }
}
