package io.mirador.index;

import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.util.BytesRef;

import java.io.IOException;
import java.util.List;

/**
 * Reads one document's values from doc values, by its index-wide id. The document JSON is kept in doc
 * values rather than stored fields: a search reads twenty documents in arbitrary order, and stored
 * fields would decompress a block of documents for each.
 */
final class DocValuesReader {

    private DocValuesReader() {
    }

    /** The binary value of {@code field} of a document, copied; null when it has none. */
    static byte[] binary(IndexReader reader, String field, int doc) throws IOException {
        List<LeafReaderContext> leaves = reader.leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        BinaryDocValues values = DocValues.getBinary(leaf.reader(), field);
        if (!values.advanceExact(doc - leaf.docBase)) {
            return null;
        }
        BytesRef v = values.binaryValue();
        byte[] out = new byte[v.length];
        System.arraycopy(v.bytes, v.offset, out, 0, v.length);
        return out;
    }

    /** The sorted (single-valued) value of {@code field} of a document as text; null when it has none. */
    static String sorted(IndexReader reader, String field, int doc) throws IOException {
        List<LeafReaderContext> leaves = reader.leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        SortedDocValues values = DocValues.getSorted(leaf.reader(), field);
        return values.advanceExact(doc - leaf.docBase) ? values.lookupOrd(values.ordValue()).utf8ToString() : null;
    }
}
