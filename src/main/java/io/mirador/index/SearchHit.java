package io.mirador.index;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One matching metric: its document as stored (JSON, passed on without being read), its relevance score,
 * and what matched.
 *
 * @param source     the metric document, UTF-8 JSON
 * @param highlights field ("name", "help") to its text with the matching words marked {@code <em>...</em>}
 */
public record SearchHit(String name, byte[] source, float score, Map<String, String> highlights) {

    public String sourceJson() {
        return new String(source, StandardCharsets.UTF_8);
    }
}
