package io.mirador.index;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One matching metric: its document as stored (JSON, passed on without being read), its relevance score,
 * and what matched.
 *
 * @param source     the metric document, UTF-8 JSON
 * @param highlights field ("name", "help") to its text with the matching words marked {@code <em>...</em>}
 * @param match      in a hybrid search, how it was found: {@code lexical} (its words), {@code semantic} (its
 *                   meaning) or {@code hybrid} (both); null in a lexical search
 */
public record SearchHit(String name, byte[] source, float score, Map<String, String> highlights, String match) {

    public String sourceJson() {
        return new String(source, StandardCharsets.UTF_8);
    }
}
