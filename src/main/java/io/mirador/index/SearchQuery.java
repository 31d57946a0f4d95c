package io.mirador.index;

/** A search over one tenant's index: free text, and the page to return. */
public record SearchQuery(String text, int limit, int offset) {
}
