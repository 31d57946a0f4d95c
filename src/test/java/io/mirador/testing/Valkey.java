package io.mirador.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real Redis server ({@code redis-server}, Debian's package; it speaks the Valkey protocol) on a free
 * loopback port, persisting to its own directory, stopped and started again on the same port.
 */
public final class Valkey implements AutoCloseable {

    private final int port = FreePorts.next();
    private final ServiceProcess process;

    private Valkey(Path dir) {
        process = new ServiceProcess(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--appendonly", "yes", "--save", ""), dir.resolve("redis.log"),
                "to answer PING", () -> "PONG".equals(cli("PING")));
    }

    public static Valkey start(Path dir) {
        try {
            Files.createDirectories(dir.resolve("valkey"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Valkey v = new Valkey(dir.resolve("valkey"));
        v.start();
        return v;
    }

    public void start() {
        process.start();
    }

    /** Kills the server, as a crash would; its data stays for the next start. */
    public void stop() {
        process.stop();
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** The value of a key, or null. */
    public String get(String key) {
        String v = cli("GET", key);
        return v == null || v.isEmpty() ? null : v;
    }

    private String cli(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port), "--raw"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
