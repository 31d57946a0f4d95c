package io.mirador.index;

/**
 * A search over one tenant's index.
 *
 * @param text      what the user typed (words, phrases, field filters)
 * @param filters   filters given beside the text
 * @param sort      order of the results
 * @param ascending direction of a sort by name, series count or last seen
 * @param facets    whether to count the matches by type, unit and label key
 * @param highlight whether to mark what matched in each result's name and help
 * @param semantic  whether to search by meaning as well as by words (where semantic search is on)
 */
public record SearchQuery(String text, SearchFilters filters, SortOrder sort, boolean ascending, int limit, int offset,
                          boolean facets, boolean highlight, boolean semantic) {

    /** The orders a search can return. */
    public enum SortOrder { RELEVANCE, NAME, SERIES_COUNT, LAST_SEEN }

    /** A plain text search: by relevance, first page, no facets. */
    public static SearchQuery text(String text, int limit) {
        return new SearchQuery(text, SearchFilters.NONE, SortOrder.RELEVANCE, false, limit, 0, false, false, true);
    }
}
