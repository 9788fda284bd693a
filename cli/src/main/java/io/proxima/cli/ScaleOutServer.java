package io.proxima.cli;

import io.proxima.server.ServerOptions;
import io.proxima.store.kafka.KafkaLog;
import io.proxima.store.kafka.KafkaLogOptions;

import java.time.Duration;

/**
 * One of several instances serving one Kafka log ({@code serve --backend kafka --scale-out}):
 * the public {@link ForwardingFront}, and this instance's share of the partitions
 * ({@link PartitionOwnership}). docs/scale-out.md says how ownership moves and what is guaranteed.
 */
final class ScaleOutServer implements AutoCloseable {
    private final ForwardingFront front;
    private final PartitionOwnership ownership;

    private ScaleOutServer(ForwardingFront front, PartitionOwnership ownership) {
        this.front = front;
        this.ownership = ownership;
    }

    /**
     * Creates the topics if missing, binds the public port, joins the owners' group.
     *
     * @param advertise the URL other instances reach this one by; null: {@code http://HOST:PORT} of the bound port
     */
    static ScaleOutServer start(ServerOptions options, KafkaLogOptions kafka, String advertise, Duration session) {
        int partitions = KafkaLog.ensureTopics(kafka);
        ForwardingFront front = new ForwardingFront(options);
        try {
            String url = advertise != null ? advertise : "http://" + options.host() + ":" + front.port();
            PartitionOwnership ownership = new PartitionOwnership(kafka, options, url, partitions, session);
            front.serve(ownership);
            return new ScaleOutServer(front, ownership);
        } catch (RuntimeException e) {
            front.close();
            throw e;
        }
    }

    int port() {
        return front.port();
    }

    String advertised() {
        return ownership.advertised();
    }

    int partitions() {
        return ownership.partitions();
    }

    @Override
    public void close() {
        front.close();
        ownership.close();
    }
}
