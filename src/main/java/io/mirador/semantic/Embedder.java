package io.mirador.semantic;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The embedding model, in process and offline: quantized all-MiniLM-L6-v2 (mean pooling) or bge-small-en-v1.5 (CLS
 * pooling, with its query instruction), both 384 dimensions and unit vectors, on ONNX Runtime, one intra-op thread per call so that embedding never takes both cores from searches.
 * ONNX Runtime's and the tokenizer's native libraries are unpacked once under the data directory, not in the
 * temporary directory on every start. Thread-safe.
 */
public final class Embedder implements AutoCloseable {

    public static final int DIMENSIONS = 384;
    private static final Logger LOG = LoggerFactory.getLogger(Embedder.class);
    private static final String ORT_VERSION = "1.20.0";
    /** Free space the data directory must have left after the native libraries are unpacked into it. */
    private static final long ROOM_FOR_NATIVES = 256L * 1_048_576;

    /** The models on offer, both quantized, 384 dimensions, in the jar. */
    public enum Choice {
        /** all-MiniLM-L6-v2: 6 layers, mean pooling. */
        ALL_MINILM_L6_V2("all-minilm-l6-v2-q", PoolingMode.MEAN, ""),
        /** bge-small-en-v1.5: 12 layers, CLS pooling, questions asked with the instruction it was trained with. */
        BGE_SMALL_EN_V1_5("bge-small-en-v1.5-q", PoolingMode.CLS, "Represent this sentence for searching relevant passages: ");

        private final String file;
        private final PoolingMode pooling;
        private final String queryPrefix;

        Choice(String file, PoolingMode pooling, String queryPrefix) {
            this.file = file;
            this.pooling = pooling;
            this.queryPrefix = queryPrefix;
        }

        /** The setting's name of the model. */
        public String id() {
            return file;
        }

        /** @throws IllegalArgumentException naming the models on offer */
        public static Choice of(String id) {
            for (Choice c : values()) {
                if (c.file.equals(id)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("mirador.search.semantic.model must be all-minilm-l6-v2-q or"
                    + " bge-small-en-v1.5-q, was '" + id + "'");
        }
    }

    private final OrtSession session;
    private final Model model;
    private final Choice choice;

    private Embedder(OrtSession session, Model model, Choice choice) {
        this.session = session;
        this.model = model;
        this.choice = choice;
    }

    /** Loads all-MiniLM-L6-v2 (see {@link #load(Path, Choice)}). */
    public static Embedder load(Path dataDir) {
        return load(dataDir, Choice.ALL_MINILM_L6_V2);
    }

    /** Loads the model, unpacking the native libraries it needs under {@code dataDir/native} the first time. */
    public static Embedder load(Path dataDir, Choice choice) {
        long start = System.nanoTime();
        Path natives = dataDir.resolve("native");
        unpackOnnxRuntime(natives.resolve("onnxruntime-" + ORT_VERSION));
        System.setProperty("DJL_CACHE_DIR", natives.resolve("djl").toString());
        try (InputStream modelBytes = resource(choice.file + ".onnx");
             InputStream tokenizer = resource(choice.file + "-tokenizer.json")) {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            removeOnnxRuntimeTempDirectory();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            OrtSession session = env.createSession(modelBytes.readAllBytes(), options);
            Model model = new Model(new OnnxBertBiEncoder(env, session, tokenizer, choice.pooling));
            LOG.info("embedding model {} (quantized, {} dimensions) loaded in {} ms", choice.file, DIMENSIONS,
                    (System.nanoTime() - start) / 1_000_000);
            return new Embedder(session, model, choice);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the embedding model", e);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot load the embedding model: " + e.getMessage(), e);
        }
    }

    /** The unit vector of {@code text}, a metric's. */
    public float[] embed(String text) {
        return model.embed(wellFormed(text)).content().vector();
    }

    /** {@code text} with a lone UTF-16 surrogate (which the tokenizer refuses) replaced: valid Unicode only. */
    static String wellFormed(String text) {
        return new String(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The unit vector of a question (asked as the model was trained to be asked). */
    public float[] embedQuery(String question) {
        return embed(choice.queryPrefix + question);
    }

    /** The unit vectors of {@code texts}, in order, on the calling thread. */
    public List<float[]> embedAll(List<String> texts) {
        List<TextSegment> segments = new ArrayList<>(texts.size());
        for (String t : texts) {
            segments.add(TextSegment.from(t.isBlank() ? "-" : wellFormed(t)));
        }
        List<float[]> out = new ArrayList<>(texts.size());
        for (Embedding e : model.embedAll(segments).content()) {
            out.add(e.vector());
        }
        return out;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            LOG.warn("closing the embedding model: {}", e.getMessage());
        }
    }

    private static InputStream resource(String name) {
        InputStream in = Embedder.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("the embedding model's " + name + " is not on the class path");
        }
        return in;
    }

    /**
     * Copies ONNX Runtime's native libraries for this platform into {@code dir} (once) and points ONNX Runtime at it;
     * left to itself it unpacks them into a new temporary directory on every start. A data directory without room to
     * spare for them (they take about 17 MB) is left alone: ONNX Runtime then unpacks them itself.
     */
    private static void unpackOnnxRuntime(Path dir) {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        if (!os.contains("linux")) {
            return; // elsewhere ONNX Runtime unpacks them itself
        }
        String platform = "linux-" + (arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : "x64");
        List<String> libs = List.of("libonnxruntime.so", "libonnxruntime4j_jni.so");
        try {
            Files.createDirectories(dir);
            boolean missing = libs.stream().anyMatch(lib -> !Files.exists(dir.resolve(lib)));
            if (missing && Files.getFileStore(dir).getUsableSpace() < ROOM_FOR_NATIVES) {
                LOG.warn("less than {} MB free under {}: ONNX Runtime unpacks its native libraries into the temporary"
                        + " directory instead", ROOM_FOR_NATIVES / 1_048_576, dir);
                return;
            }
            for (String lib : libs) {
                Path target = dir.resolve(lib);
                if (Files.exists(target)) {
                    continue;
                }
                Path part = dir.resolve(lib + ".part");
                try (InputStream in = resource("ai/onnxruntime/native/" + platform + "/" + lib)) {
                    Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(part);
                }
            }
            System.setProperty("onnxruntime.native.path", dir.toString());
        } catch (IOException e) {
            LOG.warn("cannot unpack ONNX Runtime's native libraries into {} ({}): it unpacks them into the temporary"
                    + " directory instead", dir, e.getMessage());
        }
    }

    /**
     * ONNX Runtime creates a directory in {@code java.io.tmpdir} when it loads, even when it loads its libraries from
     * {@code onnxruntime.native.path}, and leaves it behind, one per start: removed here once it is loaded (when empty).
     */
    static void removeOnnxRuntimeTempDirectory() {
        try {
            java.lang.reflect.Field field = Class.forName("ai.onnxruntime.OnnxRuntime").getDeclaredField("tempDirectory");
            field.setAccessible(true);
            if (field.get(null) instanceof Path dir) {
                Files.deleteIfExists(dir);
            }
        } catch (ReflectiveOperationException | IOException | RuntimeException e) {
            LOG.debug("ONNX Runtime's temporary directory is left: {}", e.toString());
        }
    }

    /** The model on the calling thread (langchain4j's default spreads batches over a pool sized to the CPUs). */
    private static final class Model extends AbstractInProcessEmbeddingModel {

        private final OnnxBertBiEncoder encoder;

        Model(OnnxBertBiEncoder encoder) {
            super(Runnable::run);
            this.encoder = encoder;
        }

        @Override
        protected OnnxBertBiEncoder model() {
            return encoder;
        }

        @Override
        protected Integer knownDimension() {
            return DIMENSIONS;
        }
    }
}
