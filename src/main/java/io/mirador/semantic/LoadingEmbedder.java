package io.mirador.semantic;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The embedding model, loaded on a thread of its own so that it does not hold up the start (about a second): until
 * it is ready, searches are lexical and nothing is embedded. A model that cannot load leaves search lexical, said
 * once in the log.
 */
public final class LoadingEmbedder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LoadingEmbedder.class);

    private final CompletableFuture<Embedder> loading = new CompletableFuture<>();
    private final Embedder.Choice choice;

    private LoadingEmbedder(Embedder.Choice choice) {
        this.choice = choice;
    }

    public static LoadingEmbedder start(Path dataDir, Embedder.Choice choice) {
        LoadingEmbedder loader = new LoadingEmbedder(choice);
        Thread thread = new Thread(() -> {
            try {
                loader.loading.complete(Embedder.load(dataDir, choice));
            } catch (RuntimeException | LinkageError e) {
                LOG.error("the embedding model cannot be loaded, search stays lexical: {}", e.toString());
                loader.loading.completeExceptionally(e);
            }
        }, "embedding-model-load");
        thread.setDaemon(true);
        thread.start();
        return loader;
    }

    /** The model being loaded: vectors made by another are not compared with its questions. */
    public Embedder.Choice choice() {
        return choice;
    }

    /** The model once loaded; empty while it loads or when it could not be. */
    public Optional<Embedder> ready() {
        return loading.isDone() && !loading.isCompletedExceptionally() ? Optional.of(loading.join()) : Optional.empty();
    }

    @Override
    public void close() {
        ready().ifPresent(Embedder::close);
    }
}
