package io.mirador.source;

import java.io.IOException;
import java.io.InputStream;

/** Reads one source response from its stream; called afresh for every attempt, so it starts from nothing. */
@FunctionalInterface
public interface ResponseReader<T> {

    T read(InputStream body) throws IOException;
}
