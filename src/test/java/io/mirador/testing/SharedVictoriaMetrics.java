package io.mirador.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One real VictoriaMetrics for all the tests of a class, started and loaded before the first and removed after
 * the last: {@code @RegisterExtension static final SharedVictoriaMetrics vm = SharedVictoriaMetrics.withNames("x_", 30);}
 */
public final class SharedVictoriaMetrics implements BeforeAllCallback, AfterAllCallback {

    private final Consumer<VictoriaMetrics> load;
    private Path dir;
    private VictoriaMetrics vm;

    private SharedVictoriaMetrics(Consumer<VictoriaMetrics> load) {
        this.load = load;
    }

    /** Loaded by {@code load} once it answers. */
    public static SharedVictoriaMetrics loadedWith(Consumer<VictoriaMetrics> load) {
        return new SharedVictoriaMetrics(load);
    }

    /** Holding {@code count} metrics named {@code prefix} and a number ({@link Series#names}). */
    public static SharedVictoriaMetrics withNames(String prefix, int count) {
        return new SharedVictoriaMetrics(vm -> vm.importPrometheus(new Series().names(prefix, count)));
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("mirador-shared-vm");
        vm = VictoriaMetrics.start(dir);
        load.accept(vm);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (vm != null) {
            vm.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    public VictoriaMetrics get() {
        return vm;
    }

    /** The API base of the shared VictoriaMetrics. */
    public String url() {
        return vm.url();
    }

    public void importPrometheus(Series series, String... extraLabels) {
        vm.importPrometheus(series, extraLabels);
    }
}
