package io.mirador.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Valkey as operators run it for failover, with real processes of Debian's {@code redis-server}: a primary, a replica
 * of it, and a sentinel ({@code redis-server --sentinel}) that promotes the replica one second after the primary
 * stops answering.
 */
public final class SentinelValkey implements AutoCloseable {

    public static final String MASTER_NAME = "mirador-primary";

    private final int primaryPort = FreePorts.next();
    private final int replicaPort = FreePorts.next();
    private final int sentinelPort = FreePorts.next();
    private final ServiceProcess primary;
    private final ServiceProcess replica;
    private final ServiceProcess sentinel;

    private SentinelValkey(Path dir) throws IOException {
        Files.createDirectories(dir);
        primary = server(dir, "primary", primaryPort, List.of());
        replica = server(dir, "replica", replicaPort, List.of("--replicaof", "127.0.0.1", Integer.toString(primaryPort)));
        Path conf = dir.resolve("sentinel.conf");
        Files.writeString(conf, String.join("\n",
                "port " + sentinelPort,
                "bind 127.0.0.1",
                "dir " + dir,
                "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + primaryPort + " 1",
                "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
                "sentinel failover-timeout " + MASTER_NAME + " 5000",
                "sentinel parallel-syncs " + MASTER_NAME + " 1", ""));
        sentinel = new ServiceProcess(List.of("redis-server", conf.toString(), "--sentinel"), dir.resolve("sentinel.log"),
                "to name the primary", () -> cli(sentinelPort, "SENTINEL", "get-master-addr-by-name", MASTER_NAME)
                .contains(Integer.toString(primaryPort)));
    }

    private static ServiceProcess server(Path dir, String name, int port, List<String> extra) throws IOException {
        Path data = dir.resolve(name);
        Files.createDirectories(data);
        List<String> cmd = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--dir", data.toString(), "--appendonly", "yes", "--save", ""));
        cmd.addAll(extra);
        return new ServiceProcess(cmd, dir.resolve(name + ".log"), "to answer PING", () -> "PONG".equals(cli(port, "PING")));
    }

    /** Starts the primary, its replica (waiting until it has synced) and the sentinel. */
    public static SentinelValkey start(Path dir) {
        try {
            SentinelValkey s = new SentinelValkey(dir);
            s.primary.start();
            s.replica.start();
            Waits.until(java.time.Duration.ofSeconds(20), "the replica to sync with the primary",
                    () -> cli(s.replicaPort, "INFO", "replication").contains("master_link_status:up"));
            s.sentinel.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sentinel's address, as the catalog's {@code mirador.state.valkey.sentinels} takes it. */
    public String sentinels() {
        return "127.0.0.1:" + sentinelPort;
    }

    /** Kills the primary, as a crash would. */
    public void killPrimary() {
        primary.stop();
    }

    /** Whether the sentinel has made the replica the primary. */
    public boolean replicaPromoted() {
        return cli(sentinelPort, "SENTINEL", "get-master-addr-by-name", MASTER_NAME).contains(Integer.toString(replicaPort))
                && cli(replicaPort, "INFO", "replication").contains("role:master");
    }

    /** A command's answer from the current primary (the replica once promoted). */
    public String onPrimary(String... args) {
        return cli(replicaPromoted() ? replicaPort : primaryPort, args);
    }

    private static String cli(int port, String... args) {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port), "--raw"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    @Override
    public void close() {
        sentinel.stop();
        replica.stop();
        primary.stop();
    }
}
