package io.proxima.sim.learner;

/**
 * A learner trained on labelled items with a loss per item (the lab's learner for self-paced and
 * ordered curricula): the lab's trainer ({@code SupervisedRun}) asks the curriculum for a batch,
 * reads each item's loss (the forward pass), trains on it and reports the loss. Two kinds: the
 * simulated {@link SupervisedLearner} (a skill model whose dynamics are written down) and the
 * neural {@code NeuralSupervisedLearner} (a classifier network trained by cross-entropy and Adam),
 * so the same teachers and report run on both.
 *
 * <p>Items are dense indices {@code [0, size())}; an item's source is its group in the curriculum.
 * Some training labels are wrong (label noise); held-out items are always labelled correctly.
 */
public interface ItemLearner extends Learner {
    /** Items in the training pool. */
    int size();

    /** The source (group) of a pool item. */
    int group(int item);

    /**
     * The item's difficulty as the trainer knows it before training (higher = harder): what an
     * ordered curriculum ({@code pacing}) sorts by. Only its order within the pool matters.
     */
    double difficulty(int item);

    /** Whether the item's training label is wrong. */
    boolean mislabelled(int item);

    /** The loss on the item's training label now (what a trainer's forward pass reports). */
    double loss(int item);

    /**
     * Trains on one item. A learner that steps an optimizer once per batch applies the update at
     * {@link #endStep()}. Returns a learner-specific size of the update.
     */
    double train(int item);

    /** Clean held-out accuracy of one source (NaN when it has no held-out item). */
    double testScore(int source);

    /** Mean loss on the clean held-out items. */
    double testLoss();

    /**
     * How far wrong labels are memorised: the share of mislabelled pool items on which the learner
     * gives their wrong training label (NaN when no item is mislabelled). A learner that cannot
     * memorise stays at chance.
     */
    double mislabelledFit();
}
