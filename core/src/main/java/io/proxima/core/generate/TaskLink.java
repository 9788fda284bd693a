package io.proxima.core.generate;

import io.proxima.core.space.Derivation;

/**
 * One task's place in the lineage of generated tasks (for listings and the dashboard).
 *
 * @param parent the id of the task it was generated from, or null
 * @param kind how it derives from its parent, or null
 * @param depth links above it (0: an original task)
 * @param children tasks generated from it
 * @param credit progress credited to it by its descendants ({@link ParentCredit})
 * @param asked generate requests made for it ({@link Generation})
 */
public record TaskLink(String parent, Derivation kind, int depth, int children, double credit, int asked) {}
