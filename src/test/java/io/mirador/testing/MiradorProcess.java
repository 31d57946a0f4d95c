package io.mirador.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service ({@code target/mirador.jar}) as its own process, configured the way users do
 * (environment variables and {@code -D} settings), for what needs a real process: signals, kills, restarts.
 */
public final class MiradorProcess implements AutoCloseable {

    private final Process process;
    private final int port;

    private MiradorProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the jar with these environment variables and settings; waits until it answers. */
    public static MiradorProcess start(Path log, Map<String, String> env, Map<String, String> settings) {
        int port = FreePorts.next();
        Path jar = Path.of("target", "mirador.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("target/mirador.jar is missing: run mvn package first");
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseParallelGC", "-Xmx512m"));
        settings.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        pb.environment().put("MIRADOR_HTTP_PORT", Integer.toString(port));
        try {
            Files.createDirectories(log.getParent());
            MiradorProcess m = new MiradorProcess(pb.start(), port);
            Waits.until(Duration.ofSeconds(60), "the service to be ready", () -> {
                if (!m.process.isAlive()) {
                    throw new IllegalStateException("the service exited with " + m.process.exitValue() + "; see " + log);
                }
                return ServiceProcess.get(m.url() + "/observe/health/ready").statusCode() == 200;
            });
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Sends SIGTERM and waits for the exit; returns how long it took, or throws after {@code limit}. */
    public Duration terminate(Duration limit) throws InterruptedException {
        long start = System.nanoTime();
        process.destroy();
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the service did not exit within " + limit + " of SIGTERM");
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** SIGKILL: the process dies at once, as on a crash. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public int exitValue() {
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
