package io.mirador.index;

import java.util.Locale;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mirador.catalog.MetricDocument;
import io.mirador.catalog.MetricText;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.util.BytesRef;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** Turns a {@link MetricDocument} into the Lucene fields of {@link MetricFields} and back (from {@code _source}). */
public final class MetricDocumentCodec {

    /** Label values are matched word by word, never as phrases or by frequency: documents only, no norms. */
    private static final FieldType LABEL_VALUES = new FieldType();

    static {
        LABEL_VALUES.setTokenized(true);
        LABEL_VALUES.setIndexOptions(IndexOptions.DOCS);
        LABEL_VALUES.setOmitNorms(true);
        LABEL_VALUES.freeze();
    }

    private final ObjectMapper json;

    /** @param json the service's mapping; stored documents are read leniently, so older ones still read */
    public MetricDocumentCodec(ObjectMapper json) {
        this.json = json.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    public Document toLucene(MetricDocument m, String syncMark) {
        try {
            return toLucene(m, syncMark, json.writeValueAsBytes(m));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Lucene fields of {@code m}, whose JSON as this codec writes it is {@code source} (read from a replica's copy). */
    public Document toLucene(MetricDocument m, String syncMark, byte[] source) {
        Document doc = new Document();
        doc.add(new StringField(MetricFields.ID, m.id(), Field.Store.NO));
        doc.add(new StringField(MetricFields.NAME_LOWER, m.name().toLowerCase(Locale.ROOT), Field.Store.NO));
        doc.add(new SortedDocValuesField(MetricFields.NAME_SORT, new BytesRef(m.name())));
        doc.add(new TextField(MetricFields.NAME_WORDS, m.name(), Field.Store.NO));
        if (!m.help().isEmpty()) {
            doc.add(new TextField(MetricFields.HELP, m.help(), Field.Store.NO));
            doc.add(new BinaryDocValuesField(MetricFields.HELP_TEXT, new BytesRef(m.help())));
        }
        keywordFacet(doc, MetricFields.TYPE, m.type().toLowerCase(Locale.ROOT));
        keywordFacet(doc, MetricFields.UNIT, m.unit().toLowerCase(Locale.ROOT));
        for (String key : m.labelKeys()) {
            keywordFacet(doc, MetricFields.LABEL_KEY, key);
        }
        // all values in one text field: analysed once per document, not once per value
        StringBuilder values = new StringBuilder();
        for (Map.Entry<String, List<String>> e : m.labelValues().entrySet()) {
            for (String value : e.getValue()) {
                doc.add(new StringField(MetricFields.LABEL_PAIR, e.getKey() + "=" + value, Field.Store.NO));
                values.append(value).append(' ');
            }
        }
        if (!values.isEmpty()) {
            doc.add(new Field(MetricFields.LABEL_VALUE, values.toString(), LABEL_VALUES));
        }
        doc.add(new LongPoint(MetricFields.SERIES_COUNT, m.seriesCount()));
        doc.add(new NumericDocValuesField(MetricFields.SERIES_COUNT, m.seriesCount()));
        long lastSeen = m.lastSeen().toEpochMilli();
        doc.add(new LongPoint(MetricFields.LAST_SEEN, lastSeen));
        doc.add(new NumericDocValuesField(MetricFields.LAST_SEEN, lastSeen));
        doc.add(new StringField(MetricFields.SYNC_MARK, syncMark, Field.Store.NO));
        if (m.isFamilyPart()) {
            doc.add(new StringField(MetricFields.FOLDED, "1", Field.Store.NO));
        }
        doc.add(new BinaryDocValuesField(MetricFields.TEXT_HASH, new BytesRef(MetricText.hash(MetricText.of(m)))));
        doc.add(new BinaryDocValuesField(MetricFields.SOURCE, new BytesRef(source)));
        return doc;
    }

    private static void keywordFacet(Document doc, String field, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        doc.add(new StringField(field, value, Field.Store.NO));
        doc.add(new SortedSetDocValuesField(field, new BytesRef(value)));
    }

    /**
     * Reads the document JSON kept in {@link MetricFields#SOURCE}.
     *
     * @throws IndexCorruptedException when it is missing or not a document's JSON
     */
    public MetricDocument decode(byte[] source) {
        if (source == null) {
            throw new IndexCorruptedException("a metric document has no stored JSON", null);
        }
        try {
            return json.readValue(source, MetricDocument.class);
        } catch (IOException | RuntimeException e) {
            throw new IndexCorruptedException("a stored metric document is not its JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Checks, cheaply, that stored document JSON still looks as this codec wrote it: one object, on one line, of
     * printable UTF-8. A search passes the bytes to its answer as they are, and must never pass on bytes that are
     * not JSON; Lucene's checksums, verified when the index is opened, catch damage on disk, this catches what
     * went wrong since (a full parse of every hit would cost a tenth of a search).
     *
     * @throws IndexCorruptedException when it is not
     */
    public void checkWellFormed(byte[] source) {
        if (source == null || source.length < 2 || source[0] != '{' || source[source.length - 1] != '}') {
            throw new IndexCorruptedException("a stored metric document is not its JSON: not one object", null);
        }
        for (byte b : source) {
            // the writer escapes every control character; bytes of multi-byte UTF-8 characters are negative here
            if (b >= 0 && b < 0x20 || b == 0x7f) {
                throw new IndexCorruptedException("a stored metric document is not its JSON: a control byte", null);
            }
        }
    }
}
