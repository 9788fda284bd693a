package io.proxima.core.continuous;

import io.proxima.core.sample.Rng;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A continuous task space: a box of named real parameters, {@code low[i] < high[i]}, both finite,
 * names unique and non-blank, 1 to {@link #MAX_DIMS} dimensions. A task is a point of the box
 * (both ends included). Immutable; the arrays are private copies.
 *
 * <p><b>Out-of-box reports.</b> A reported vector may lie outside the box by at most
 * {@link #TOLERANCE} × (high − low) per dimension (a float32 round trip of a boundary value): such
 * coordinates are clamped in. Anything farther is rejected, because a teacher cannot learn
 * anything sensible about tasks it can never propose.
 */
public final class ParameterSpace {
    /** Most dimensions accepted (the GMM teachers fit (d+2)-dimensional full covariances). */
    public static final int MAX_DIMS = 32;
    /** Relative slack for reported coordinates just outside the box (clamped in). */
    public static final double TOLERANCE = 1e-6;

    private final String[] names;
    private final double[] low;
    private final double[] high;

    /** One dimension of the box. */
    public record Dim(String name, double low, double high) {}

    private ParameterSpace(String[] names, double[] low, double[] high) {
        this.names = names;
        this.low = low;
        this.high = high;
    }

    /** Validates and builds; messages name the offending dimension as {@code dims[i]}. */
    public static ParameterSpace of(List<Dim> dims) {
        if (dims == null || dims.isEmpty()) throw new IllegalArgumentException("dims must hold at least one dimension");
        if (dims.size() > MAX_DIMS) throw new IllegalArgumentException("dims holds " + dims.size() + " dimensions, more than " + MAX_DIMS);
        int d = dims.size();
        String[] names = new String[d];
        double[] low = new double[d];
        double[] high = new double[d];
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < d; i++) {
            Dim dim = dims.get(i);
            String at = "dims[" + i + "]";
            if (dim == null) throw new IllegalArgumentException(at + " is null");
            if (dim.name() == null || dim.name().isBlank()) throw new IllegalArgumentException(at + ".name must be a non-blank string");
            if (!seen.add(dim.name())) throw new IllegalArgumentException(at + ".name \"" + dim.name() + "\" is used by an earlier dimension");
            if (!Double.isFinite(dim.low())) throw new IllegalArgumentException(at + ".low must be finite, got " + dim.low());
            if (!Double.isFinite(dim.high())) throw new IllegalArgumentException(at + ".high must be finite, got " + dim.high());
            if (!(dim.low() < dim.high())) {
                throw new IllegalArgumentException(at + " (\"" + dim.name() + "\"): low must be < high, got low=" + dim.low() + ", high=" + dim.high());
            }
            if (!Double.isFinite(dim.high() - dim.low())) throw new IllegalArgumentException(at + ": the range high − low overflows");
            names[i] = dim.name();
            low[i] = dim.low();
            high[i] = dim.high();
        }
        return new ParameterSpace(names, low, high);
    }

    /** Shorthand: the box {@code [low, high]^d} with names {@code x0 .. x(d-1)}. */
    public static ParameterSpace cube(int d, double low, double high) {
        List<Dim> dims = new ArrayList<>(d);
        for (int i = 0; i < d; i++) dims.add(new Dim("x" + i, low, high));
        return of(dims);
    }

    public int dims() {
        return low.length;
    }

    public String name(int i) {
        return names[i];
    }

    public double low(int i) {
        return low[i];
    }

    public double high(int i) {
        return high[i];
    }

    public double range(int i) {
        return high[i] - low[i];
    }

    public List<Dim> dimList() {
        List<Dim> out = new ArrayList<>(low.length);
        for (int i = 0; i < low.length; i++) out.add(new Dim(names[i], low[i], high[i]));
        return out;
    }

    /** Uniform draw in the box into {@code out[0 .. d)}, one {@link Rng#nextDouble()} per dimension in order. */
    public void uniform(Rng rng, double[] out) {
        for (int i = 0; i < low.length; i++) out[i] = low[i] + rng.nextDouble() * (high[i] - low[i]);
    }

    /** Clamps {@code p[0 .. d)} into the box in place. */
    public void clip(double[] p) {
        for (int i = 0; i < low.length; i++) p[i] = Math.min(high[i], Math.max(low[i], p[i]));
    }

    public boolean contains(double[] p) {
        if (p.length != low.length) return false;
        for (int i = 0; i < low.length; i++) if (!(p[i] >= low[i] && p[i] <= high[i])) return false;
        return true;
    }

    /**
     * A checked copy of a reported vector: right length, finite, inside the box up to
     * {@link #TOLERANCE} (clamped in); otherwise an exception naming {@code at} and the dimension.
     */
    public double[] checked(double[] p, String at) {
        if (p == null) throw new IllegalArgumentException(at + " is missing");
        if (p.length != low.length) throw new IllegalArgumentException(at + " has " + p.length + " values, the space has " + low.length + " dimensions");
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) out[i] = checked(i, p[i], at + "[" + i + "]");
        return out;
    }

    /**
     * One checked coordinate of dimension {@code i}: finite, inside {@code [low, high]} up to
     * {@link #TOLERANCE} (clamped in); otherwise an exception naming {@code at} (the coordinate's
     * path: {@code outcomes[3].params[1]}, or {@code outcomes[3].params.stump_height} for a caller
     * that reads coordinates by name) and the dimension.
     */
    public double checked(int i, double v, String at) {
        if (!Double.isFinite(v)) throw new IllegalArgumentException(at + " (" + names[i] + ") must be finite, got " + v);
        double slack = TOLERANCE * (high[i] - low[i]);
        if (v < low[i] - slack || v > high[i] + slack) {
            throw new IllegalArgumentException(at + " (" + names[i] + ") = " + v + " is outside [" + low[i] + ", " + high[i] + "]");
        }
        return Math.min(high[i], Math.max(low[i], v));
    }

    /** The index of the dimension named {@code name}, or -1. */
    public int indexOf(String name) {
        for (int i = 0; i < names.length; i++) if (names[i].equals(name)) return i;
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterSpace s && java.util.Arrays.equals(names, s.names)
                && java.util.Arrays.equals(low, s.low) && java.util.Arrays.equals(high, s.high);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(names) * 31 + java.util.Arrays.hashCode(low) * 17 + java.util.Arrays.hashCode(high);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("ParameterSpace[");
        for (int i = 0; i < low.length; i++) {
            if (i > 0) b.append(", ");
            b.append(names[i]).append(" ∈ [").append(low[i]).append(", ").append(high[i]).append(']');
        }
        return b.append(']').toString();
    }
}
