package io.mirador.source;

/** Sends a {@link SourceRequest} to the source under the retry policy and returns what its reader made. */
@FunctionalInterface
public interface SourceCalls {

    <T> T call(SourceRequest<T> request);
}
