package io.proxima.store;

/**
 * What a curriculum chooses from: a pool of discrete tasks ({@link io.proxima.core.Curriculum}) or
 * a box of real parameters ({@link io.proxima.core.continuous.ContinuousCurriculum}). Stored in the
 * {@code curricula} row by its {@link #key()}; fixed for the curriculum's life.
 */
public enum Kind {
    DISCRETE("discrete"),
    CONTINUOUS("continuous");

    private final String key;

    Kind(String key) {
        this.key = key;
    }

    /** The name used in the database, the HTTP API and the docs. */
    public String key() {
        return key;
    }

    /** The kind named {@code key} ("discrete" or "continuous"); an exception naming the known ones otherwise. */
    public static Kind parse(String key) {
        for (Kind k : values()) if (k.key.equals(key)) return k;
        throw new IllegalArgumentException("kind must be \"discrete\" or \"continuous\", got " + (key == null ? "null" : "\"" + key + "\""));
    }
}
