package io.mirador.testing;

import java.nio.file.Path;
import java.util.List;

/** A real Redis exporter ({@code prometheus-redis-exporter}, Debian's package) watching a real redis-server. */
public final class RedisExporter implements AutoCloseable {

    private final int port = FreePorts.next();
    private final Valkey redis;
    private final ServiceProcess process;

    private RedisExporter(Path dir, Valkey redis) {
        this.redis = redis;
        process = new ServiceProcess(List.of("prometheus-redis-exporter", "--redis.addr=" + redis.url(),
                "--web.listen-address=127.0.0.1:" + port), dir.resolve("redis-exporter.log"), url() + "/metrics");
    }

    /** Starts a redis-server under {@code dir} and the exporter watching it. */
    public static RedisExporter start(Path dir) {
        RedisExporter e = new RedisExporter(dir, Valkey.start(dir));
        e.process.start();
        return e;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.close();
        redis.close();
    }
}
