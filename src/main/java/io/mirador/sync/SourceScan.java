package io.mirador.sync;

import io.mirador.catalog.MetricObservation;
import io.mirador.source.MetricNameReader;
import io.mirador.source.PrometheusApi;
import io.mirador.source.SeriesReader;
import io.mirador.source.SourceException;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The reading half of a sync, one step per source route ({@code routes/source.camel.yaml}): metadata, names,
 * series of one batch of names. Each step makes its calls once; the route around it retries the step.
 */
public final class SourceScan {

    private final PrometheusApi api;
    private final MetricNameReader names;
    private final SeriesReader series;

    public SourceScan(PrometheusApi api, MetricNameReader names, SeriesReader series) {
        this.api = api;
        this.names = names;
        this.series = series;
    }

    /** Reads the source's metadata into the run; a source without the endpoint (404) has none. */
    public void readMetadata(SyncRun run) {
        try {
            run.metadata(api.metadata(run.tenant()));
        } catch (SourceException e) {
            if (e.status() != 404) {
                throw e;
            }
            run.metadata(Map.of());
        }
    }

    /** Lists the tenant's metric names in the run's window into the run. */
    public void listNames(SyncRun run) {
        run.names(names.names(run.tenant(), run.window()));
    }

    /** The run's names in read batches of the run's batch size. */
    public Iterator<List<String>> nameBatches(SyncRun run) {
        List<String> all = run.sortedNames();
        int size = run.batchSize();
        return new Iterator<>() {
            private int at;

            @Override
            public boolean hasNext() {
                return at < all.size();
            }

            @Override
            public List<String> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                List<String> batch = all.subList(at, Math.min(all.size(), at + size));
                at += batch.size();
                return batch;
            }
        };
    }

    /** Reads the series of a batch of names: one observation per name that has series in the window. */
    public List<MetricObservation> observe(SyncRun run, List<String> batch) {
        return series.read(run.tenant(), batch, run.window());
    }
}
