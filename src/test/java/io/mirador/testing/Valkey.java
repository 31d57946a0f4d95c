package io.mirador.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Redis server ({@code redis-server}, Debian's package; it speaks the Valkey protocol) on a free
 * loopback port, persisting to its own directory, stopped and started again on the same port.
 */
public final class Valkey implements AutoCloseable {

    private final int port = FreePorts.next();
    private final Path dir;
    private Process process;

    private Valkey(Path dir) {
        this.dir = dir;
    }

    public static Valkey start(Path dir) {
        Valkey v = new Valkey(dir.resolve("valkey"));
        v.start();
        return v;
    }

    public synchronized void start() {
        try {
            Files.createDirectories(dir);
            process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--dir", dir.toString(), "--appendonly", "yes", "--save", "")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start redis-server (apt-get install redis-server)", e);
        }
        Waits.until(Duration.ofSeconds(20), "redis-server to answer", () -> "PONG".equals(cli("PING")));
    }

    public synchronized void stop() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
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
