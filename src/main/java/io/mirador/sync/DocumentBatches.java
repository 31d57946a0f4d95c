package io.mirador.sync;

import io.mirador.catalog.MetricDocument;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

import java.util.ArrayList;
import java.util.List;

/**
 * Aggregates metric documents, one per exchange, into a list for the index writer, counting each in
 * its sync as queued. An exchange with no document (the end of a sync, which completes the batch in the
 * {@code index-batch} route) adds nothing.
 */
public final class DocumentBatches implements AggregationStrategy {

    /** Exchange property holding the {@link SyncRun} of a sync's exchanges. */
    public static final String SYNC_RUN = "syncRun";

    @Override
    @SuppressWarnings("unchecked")
    public Exchange aggregate(Exchange batch, Exchange next) {
        Object body = next.getMessage().getBody();
        Exchange result = batch;
        if (result == null) {
            result = next;
            result.getMessage().setBody(new ArrayList<MetricDocument>());
        }
        if (body instanceof MetricDocument d) {
            result.getMessage().getBody(List.class).add(d);
            next.getProperty(SYNC_RUN, SyncRun.class).queued(1);
        }
        return result;
    }
}
