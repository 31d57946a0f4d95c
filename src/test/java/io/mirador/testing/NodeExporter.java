package io.mirador.testing;

import java.nio.file.Path;
import java.util.List;

/** A real node exporter ({@code prometheus-node-exporter}, Debian's package) on a free loopback port. */
public final class NodeExporter implements AutoCloseable {

    private final int port = FreePorts.next();
    private final ServiceProcess process;

    private NodeExporter(Path dir) {
        process = new ServiceProcess(List.of("prometheus-node-exporter", "--web.listen-address=127.0.0.1:" + port),
                dir.resolve("node-exporter.log"), url() + "/metrics");
    }

    public static NodeExporter start(Path dir) {
        NodeExporter n = new NodeExporter(dir);
        n.process.start();
        return n;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    /** What the exporter exposes now, in the Prometheus text format. */
    public String scrape() {
        return ServiceProcess.get(url() + "/metrics").body();
    }

    @Override
    public void close() {
        process.close();
    }
}
