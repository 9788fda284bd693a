package io.proxima.store.kafka;

/**
 * A one-node Kafka cluster (KRaft, broker and controller in one process) on this machine, for
 * trying {@code proxima serve --backend kafka}: Kafka's own test kit from Maven Central, data in a
 * temporary directory that goes with the process. Started by {@code store-kafka/local-kafka}.
 */
public final class LocalKafka {
    private LocalKafka() {}

    public static void main(String[] args) throws Exception {
        KafkaCluster cluster = KafkaCluster.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                cluster.close();
            } catch (Exception e) {
                System.err.println("kafka: stopping: " + e.getMessage());
            }
        }, "local-kafka-stop"));
        System.out.println("kafka: one-node KRaft cluster at " + cluster.bootstrap() + " (Ctrl-C stops it and deletes its data)");
        System.out.println("try:   ./proxima serve --backend kafka --bootstrap " + cluster.bootstrap());
        System.out.flush();
        Thread.currentThread().join();
    }
}
