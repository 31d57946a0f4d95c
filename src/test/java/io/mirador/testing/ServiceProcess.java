package io.mirador.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real server process started by a test, logging to a file, ready when its readiness check holds;
 * stopped (killed, as a crash would) and started again with the same command.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final List<String> command;
    private final Path log;
    private final String what;
    private final java.util.concurrent.Callable<Boolean> ready;
    private Process process;

    /** @param readyUrl answers 200 once the server serves */
    public ServiceProcess(List<String> command, Path log, String readyUrl) {
        this(command, log, "to answer " + readyUrl, () -> get(readyUrl).statusCode() == 200);
    }

    /** @param ready true once the server serves */
    public ServiceProcess(List<String> command, Path log, String readiness, java.util.concurrent.Callable<Boolean> ready) {
        this.command = List.copyOf(command);
        this.log = log;
        this.what = readiness;
        this.ready = ready;
    }

    public synchronized ServiceProcess start() {
        try {
            Files.createDirectories(log.getParent());
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.get(0) + " (is its Debian package installed?)", e);
        }
        Waits.until(Duration.ofSeconds(30), command.get(0) + " " + what, () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(command.get(0) + " exited with " + process.exitValue() + "; see " + log);
            }
            return ready.call();
        });
        return this;
    }

    /** Kills the process, as a crash would. */
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

    public static HttpResponse<String> get(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
