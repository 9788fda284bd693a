package io.proxima.store.kafka;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One in-process {@link KafkaCluster} for a test class, started before its tests and closed after
 * them: {@code @RegisterExtension final KafkaClusterExtension cluster = new KafkaClusterExtension();}
 * in a class with {@code @TestInstance(PER_CLASS)} (a static field works in any class).
 */
public final class KafkaClusterExtension implements BeforeAllCallback, AfterAllCallback {
    private KafkaCluster cluster;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        cluster = KafkaCluster.start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (cluster != null) cluster.close();
        cluster = null;
    }

    public String bootstrap() {
        return started().bootstrap();
    }

    /** Options for a log of its own under topic prefix {@code place}. */
    public KafkaLogOptions options(String place) {
        return started().options(place);
    }

    private KafkaCluster started() {
        if (cluster == null) throw new IllegalStateException("the Kafka cluster runs only during the test class (register the extension)");
        return cluster;
    }
}
