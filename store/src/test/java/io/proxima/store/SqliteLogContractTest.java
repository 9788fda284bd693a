package io.proxima.store;

import io.proxima.store.sqlite.SqliteLog;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The {@link CurriculumLog} contract on SQLite: one database file per place. */
class SqliteLogContractTest extends CurriculumLogContract {
    @TempDir
    Path dir;

    @Override
    protected CurriculumLog openLog(String place, StoreOptions options) {
        return SqliteLog.open(dir.resolve(place + ".db"), options.durability(), options.groupWindowMicros());
    }
}
