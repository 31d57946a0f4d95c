package io.mirador.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import java.io.IOException;
import java.util.Map;

/**
 * One search result: the metric document's fields (the stored JSON, written as it is), its score, what
 * matched, and in a hybrid search how it was found ({@code lexical}, {@code semantic} or {@code hybrid}).
 */
@JsonSerialize(using = SearchResult.Writer.class)
public record SearchResult(String document, float score, Map<String, String> highlights, String match) {

    /** Writes the stored document's fields, then score and highlights, as one object. */
    static final class Writer extends JsonSerializer<SearchResult> {
        @Override
        public void serialize(SearchResult r, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            String doc = r.document().trim();
            StringBuilder sb = new StringBuilder(doc.length() + 64).append(doc, 0, doc.length() - 1);
            sb.append(doc.length() > 2 ? "," : "").append("\"score\":").append(r.score());
            if (r.match() != null) {
                sb.append(",\"match\":\"").append(r.match()).append('"');
            }
            if (r.highlights() != null) {
                sb.append(",\"highlights\":");
                sb.append(((ObjectMapper) gen.getCodec()).writeValueAsString(r.highlights()));
            }
            gen.writeRawValue(sb.append('}').toString());
        }
    }
}
