package io.proxima.store.kafka;

import io.proxima.store.CurriculumLog;
import io.proxima.store.CurriculumLogContract;
import io.proxima.store.StoreOptions;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@link CurriculumLog} contract on Kafka: an in-process one-node KRaft cluster for the whole
 * class, each place its own pair of topics (two partitions each, so curricula spread over both).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaLogContractTest extends CurriculumLogContract {
    @RegisterExtension
    final KafkaClusterExtension cluster = new KafkaClusterExtension();

    @Override
    protected CurriculumLog openLog(String place, StoreOptions options) {
        return KafkaLog.open(cluster.options(place));
    }
}
