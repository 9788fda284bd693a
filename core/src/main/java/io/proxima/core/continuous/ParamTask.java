package io.proxima.core.continuous;

import java.util.Arrays;

/**
 * One proposed task of a continuous curriculum: its id (dense, from 0, in proposal order) and its
 * parameter vector, in the order of the space's dimensions. The array is the caller's copy.
 */
public record ParamTask(long id, double[] params) {
    @Override
    public boolean equals(Object o) {
        return o instanceof ParamTask t && t.id == id && Arrays.equals(t.params, params);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id) * 31 + Arrays.hashCode(params);
    }

    @Override
    public String toString() {
        return "ParamTask[" + id + ", " + Arrays.toString(params) + "]";
    }
}
