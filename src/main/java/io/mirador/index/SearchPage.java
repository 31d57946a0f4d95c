package io.mirador.index;

import java.util.List;

/** One page of hits and the exact number of matches. */
public record SearchPage(List<SearchHit> hits, long total) {
}
