package io.mirador.sync;

import io.mirador.catalog.MetricObservation;
import io.mirador.source.MetricNameReader;
import io.mirador.source.PrometheusApi;
import io.mirador.source.SeriesReader;
import io.mirador.source.SourceException;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The reading half of a sync, one step per source route ({@code routes/source.camel.yaml}): metadata, the TSDB
 * census, names, series of one batch of names. Each step makes its calls once; the route around it retries the step.
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

    /** The names whose series the run reads, in read batches of the run's batch size. */
    public Iterator<List<String>> nameBatches(SyncRun run) {
        return batches(run.namesToRead(), run.batchSize());
    }

    /** The names the run confirms without reading them ({@link SourceChanges}), in batches of the run's batch size. */
    public Iterator<List<String>> confirmBatches(SyncRun run) {
        return batches(run.namesToConfirm(), run.batchSize());
    }

    /** Takes the source's census of the window's last day into the run, before any name or series is read. */
    public void takeCensus(SyncRun run) {
        run.census(api.census(run.tenant(), LocalDate.ofInstant(run.window().end(), ZoneOffset.UTC)).orElse(null));
    }

    private static Iterator<List<String>> batches(List<String> all, int size) {
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
