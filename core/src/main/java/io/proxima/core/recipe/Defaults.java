package io.proxima.core.recipe;

/**
 * Versions of the engine's defaults. A curriculum runs the defaults of the version it was created
 * with, written into its configuration ({@code "defaults": N}), because its log is replayed
 * through the engine: were a newer release to read an old curriculum with new defaults, replayed
 * selections would differ from the ones its trainer was given.
 *
 * <ul>
 *   <li>{@link #LEGACY} (1): everything before version 2. A stored configuration without the key
 *       is of this version.</li>
 *   <li>2: the neural lab's second round (docs/teachers.md, Safe defaults): PLR's
 *       {@code replayGap} 1 (was 0), a fresh floor ({@code freshShare} 0.75, was 0) for the
 *       {@code odf} and {@code pcl} item policies, SEC's temperature {@code tau} 2 (was 1) and
 *       DUMP's share bound [0.5, 1.5] (was [0.25, 2]).</li>
 * </ul>
 * A new configuration without the key gets {@link #CURRENT}.
 */
public final class Defaults {
    private Defaults() {}

    /** The defaults of configurations stored before the key existed. */
    public static final int LEGACY = 1;
    /** The defaults a new configuration gets. */
    public static final int CURRENT = 2;
}
