package io.proxima.core.outcome;

/** What a teacher learns from in an outcome; a curriculum rejects outcomes that lack what its teacher needs. */
public enum Signal {
    /** The rewards of the task's rollouts (a GRPO group). */
    REWARDS("rewards"),
    /** A per-item training loss (supervised learners: self-paced learning, cyclical curricula). */
    LOSS("loss");

    public final String field;

    Signal(String field) {
        this.field = field;
    }
}
