package io.mirador.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * A real Redis server ({@code redis-server}, Debian's package; it speaks the Valkey protocol) on a free
 * loopback port, persisting to its own directory, stopped and started again on the same port.
 *
 * <p>{@link #start} persists every write (append-only file); {@link #startWithSnapshots} persists only what
 * {@link #save()} writes to {@code dump.rdb}, so a test can keep a snapshot and bring the server back from it,
 * as an operator restoring an old backup would.
 */
public final class Valkey implements AutoCloseable {

    private static final String DUMP = "dump.rdb";

    private final int port = FreePorts.next();
    private final Path dir;
    private final ServiceProcess process;

    private Valkey(Path dir, List<String> persistence) {
        this.dir = dir;
        List<String> cmd = new java.util.ArrayList<>(List.of("redis-server", "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--dir", dir.toString()));
        cmd.addAll(persistence);
        process = new ServiceProcess(cmd, dir.resolve("redis.log"), "to answer PING", () -> "PONG".equals(cli("PING")));
    }

    /** Starts a server under {@code dir/valkey} that persists every write (append-only file). */
    public static Valkey start(Path dir) {
        return started(dir, List.of("--appendonly", "yes", "--save", ""));
    }

    /**
     * Starts a server under {@code dir/valkey} that keeps only the snapshots {@link #save()} writes (RDB, no
     * append-only file, no automatic saves): after {@link #stop()} it starts again from the last snapshot.
     */
    public static Valkey startWithSnapshots(Path dir) {
        return started(dir, List.of("--appendonly", "no", "--save", "", "--dbfilename", DUMP));
    }

    private static Valkey started(Path dir, List<String> persistence) {
        try {
            Files.createDirectories(dir.resolve("valkey"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Valkey v = new Valkey(dir.resolve("valkey"), persistence);
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

    /** Sets a key to a value (for a test that plants a record). */
    public void set(String key, String value) {
        expectOk(cli("SET", key, value), "SET " + key);
    }

    /** Writes the whole dataset to {@code dump.rdb} now (SAVE). */
    public void save() {
        expectOk(cli("SAVE"), "SAVE");
    }

    /** Copies the last {@link #save()}d snapshot to {@code target}. */
    public void snapshot(Path target) {
        try {
            Files.copy(dir.resolve(DUMP), target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("no snapshot to copy: call save() first", e);
        }
    }

    /** Puts a snapshot back, for the next {@link #start()} to load; the server must be stopped. */
    public void restore(Path snapshot) {
        try {
            Files.copy(snapshot, dir.resolve(DUMP), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes every key (FLUSHALL), as a server restarted empty would look to a client. */
    public void flushAll() {
        expectOk(cli("FLUSHALL"), "FLUSHALL");
    }

    private static void expectOk(String answer, String what) {
        if (!"OK".equals(answer)) {
            throw new IllegalStateException(what + " answered " + answer);
        }
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
