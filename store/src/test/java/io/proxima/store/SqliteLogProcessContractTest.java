package io.proxima.store;

/**
 * The {@link CurriculumLog} contract on SQLite with {@link Durability#PROCESS}: no fsync per commit
 * and no committer thread (the submitting threads commit), the same guarantees against a crash of
 * the process.
 */
class SqliteLogProcessContractTest extends SqliteLogContractTest {
    @Override
    protected Durability durability() {
        return Durability.PROCESS;
    }
}
