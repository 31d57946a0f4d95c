package io.mirador.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small real file system (a tmpfs of a given size, mounted on a directory) that a test fills to the last
 * byte and frees again, to see what a service does on a full disk. Mounting needs root: where it is refused,
 * the test is aborted (skipped) with the reason. Unmounted on close.
 */
public final class SmallDisk implements AutoCloseable {

    private static final String FILLER = ".filler";

    private final Path dir;

    private SmallDisk(Path dir) {
        this.dir = dir;
    }

    /**
     * Mounts a tmpfs of {@code size} (as {@code mount -o size=} takes it: {@code 16m}) on {@code dir}, created if
     * missing; aborts the test when the mount is refused.
     */
    public static SmallDisk mount(Path dir, String size) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Run r = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString());
        if (r.exit != 0) {
            Assumptions.abort("cannot mount a tmpfs on " + dir + " (needs root): exit " + r.exit + ", " + r.output);
        }
        return new SmallDisk(dir);
    }

    public Path dir() {
        return dir;
    }

    /** Bytes still free. */
    public long usableSpace() {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes a filler file until the file system answers ENOSPC (in ever smaller writes, so not a byte is left);
     * returns its size.
     */
    public long fill() {
        Path filler = dir.resolve(FILLER);
        long written = 0;
        try (FileChannel out = FileChannel.open(filler, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            for (int chunk : new int[]{1 << 20, 4096, 1}) {
                ByteBuffer buffer = ByteBuffer.allocate(chunk);
                while (true) {
                    buffer.clear();
                    try {
                        while (buffer.hasRemaining()) {
                            written += out.write(buffer);
                        }
                    } catch (IOException e) {
                        if (!isNoSpace(e)) {
                            throw e;
                        }
                        break;
                    }
                }
            }
        } catch (IOException e) {
            if (!isNoSpace(e)) {
                throw new UncheckedIOException("cannot fill " + dir, e);
            }
        }
        return written;
    }

    private static boolean isNoSpace(IOException e) {
        return e.getMessage() != null && e.getMessage().contains("No space left on device");
    }

    /** Deletes the filler file: the space it took is free again. */
    public void free() {
        try {
            Files.deleteIfExists(dir.resolve(FILLER));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Frees the space and unmounts (lazily, if a process still holds a file there); what was written is gone. */
    @Override
    public void close() {
        free();
        Run r = run("umount", dir.toString());
        if (r.exit != 0) {
            Run lazy = run("umount", "-l", dir.toString());
            if (lazy.exit != 0) {
                throw new IllegalStateException("cannot unmount " + dir + ": " + r.output + " / " + lazy.output);
            }
        }
    }

    private record Run(int exit, String output) {
    }

    private static Run run(String... command) {
        List<String> cmd = new ArrayList<>(List.of(command));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Run(-1, String.join(" ", cmd) + " did not finish");
            }
            return new Run(p.exitValue(), out);
        } catch (IOException e) {
            return new Run(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Run(-1, e.toString());
        }
    }
}
