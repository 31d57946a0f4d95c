package io.mirador.index;

/** Names of the Lucene fields of a metric document, with the reason for each field's type. */
public final class MetricFields {

    /** Keyword, the metric name: the term every update and exact lookup goes through. */
    public static final String ID = "id";
    /** Keyword, the name lower-cased: completion by prefix whatever the case typed. */
    public static final String NAME_LOWER = "name_lower";
    /** Sorted doc values of the name: sort by name without loading stored fields. */
    public static final String NAME_SORT = "name_sort";
    /** Text: the words of the name (split on {@code _ : .} and camelCase), for word and prefix search. */
    public static final String NAME_WORDS = "name_words";
    /** Text: the help text, stemmed English. */
    public static final String HELP = "help";
    /** Keyword plus sorted-set doc values: filtered and counted as a facet. */
    public static final String TYPE = "type";
    /** Keyword plus sorted-set doc values: filtered and counted as a facet. */
    public static final String UNIT = "unit";
    /** Keyword per label key, plus sorted-set doc values for the top-keys facet. */
    public static final String LABEL_KEY = "label_key";
    /** Text: the label values, split like names, so a word of a value finds the metric. */
    public static final String LABEL_VALUE = "label_value";
    /** Keyword per {@code key=value} pair among the kept label values. */
    public static final String LABEL_PAIR = "label_pair";
    /** Long point (range filters) plus numeric doc values (sort). */
    public static final String SERIES_COUNT = "series_count";
    /** Epoch millis: long point plus numeric doc values (sort). */
    public static final String LAST_SEEN = "last_seen";
    /** Keyword: id of the last sync that wrote the document; a full sync removes what it did not mark. */
    public static final String SYNC_MARK = "sync_mark";
    /** Keyword, present on the parts of a histogram or summary family: folded into the family in results. */
    public static final String FOLDED = "folded";
    /** Binary doc values: the help text as written, for highlighting. */
    public static final String HELP_TEXT = "help_text";
    /** Binary doc values: the hash of the metric's text ({@link io.mirador.catalog.MetricText}), to tell when to embed it again. */
    public static final String TEXT_HASH = "text_hash";
    /** Binary doc values (not stored fields: read by id in any order, without block decompression): the whole document as JSON, returned as is. */
    public static final String SOURCE = "_source";

    private MetricFields() {
    }
}
