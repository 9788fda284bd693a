package io.proxima.store.kafka;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.time.Duration;

/**
 * An in-process one-node Kafka cluster in KRaft mode (broker and controller combined), from Kafka's
 * own test kit, sized for a 2-core CI machine: one partition for the internal topics, replication 1.
 */
public final class KafkaCluster implements AutoCloseable {
    private final KafkaClusterTestKit kit;

    private KafkaCluster(KafkaClusterTestKit kit) {
        this.kit = kit;
    }

    public static KafkaCluster start() throws Exception {
        KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("group.min.session.timeout.ms", "1000") // scale-out tests: a killed instance's partitions move within seconds
                .setConfigProp("num.network.threads", "2")
                .setConfigProp("num.io.threads", "2")
                .setConfigProp("background.threads", "2")
                .setConfigProp("log.cleaner.threads", "1")
                .build();
        try {
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
        } catch (Exception e) {
            kit.close();
            throw e;
        }
        return new KafkaCluster(kit);
    }

    public String bootstrap() {
        return kit.bootstrapServers();
    }

    /** Options for a log of its own under topic prefix {@code place}. */
    public KafkaLogOptions options(String place) {
        return KafkaLogOptions.at(bootstrap()).withTopicPrefix(place).withPartitions(2).withTimeout(Duration.ofSeconds(20));
    }

    @Override
    public void close() throws Exception {
        kit.close();
    }
}
