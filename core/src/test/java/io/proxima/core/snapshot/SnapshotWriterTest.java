package io.proxima.core.snapshot;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The writer's bytes are the big-endian {@link DataOutputStream} layout that snapshot formats were defined with. */
class SnapshotWriterTest {
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void writesWhatDataOutputStreamWritesAndReadsBack(long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        SnapshotWriter w = new SnapshotWriter(16); // tiny first buffer: growth is exercised
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(expected);
        StringBuilder script = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            int op = rnd.nextInt(7);
            script.append(op);
            int n = rnd.nextInt(20);
            switch (op) {
                case 0 -> { int v = rnd.nextInt(); w.writeInt(v); d.writeInt(v); }
                case 1 -> { long v = rnd.nextLong(); w.writeLong(v); d.writeLong(v); }
                case 2 -> { double v = rnd.nextDouble() * 1e6 - 5e5; w.writeDouble(v); d.writeLong(Double.doubleToRawLongBits(v)); }
                case 3 -> {
                    String s = "task-" + rnd.nextInt() + (rnd.nextBoolean() ? "-ünï" : "");
                    w.writeString(s);
                    byte[] b = s.getBytes(StandardCharsets.UTF_8);
                    d.writeInt(b.length);
                    d.write(b);
                }
                case 4 -> {
                    int[] a = rnd.ints(n).toArray();
                    w.writeInts(a, n);
                    d.writeInt(n);
                    for (int x : a) d.writeInt(x);
                }
                case 5 -> {
                    double[] a = rnd.doubles(n).toArray();
                    w.writeDoubles(a, n);
                    d.writeInt(n);
                    for (double x : a) d.writeLong(Double.doubleToRawLongBits(x));
                }
                default -> {
                    float[] a = new float[n];
                    for (int k = 0; k < n; k++) a[k] = (float) rnd.nextGaussian();
                    w.writeFloats(a, n);
                    d.writeInt(n);
                    for (float x : a) d.writeInt(Float.floatToRawIntBits(x));
                }
            }
        }
        assertThat(w.toByteArray()).as("ops %s", script).isEqualTo(expected.toByteArray());
        assertThat(w.size()).isEqualTo(expected.size());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 1000})
    void longArraysRoundTrip(int n) {
        long[] a = new SplittableRandom(n).longs(n).toArray();
        SnapshotWriter w = new SnapshotWriter();
        w.writeLongs(a, n);
        w.writeBoolean(true);
        SnapshotReader r = new SnapshotReader(w.toByteArray());
        assertThat(r.readLongs()).isEqualTo(a);
        assertThat(r.readBoolean()).isTrue();
        assertThat(r.atEnd()).isTrue();
    }
}
