package io.mirador.api;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.mirador.state.SyncStatus;

/**
 * The error body of every endpoint, in the shape Prometheus and VictoriaMetrics clients parse:
 * {@code {"status":"error","errorType":"bad_data","error":"..."}}.
 *
 * @param syncStatus the sync concerned: the running one on a 409, the failed one when a requested sync failed
 */
public record ApiError(String status, @JsonProperty("errorType") String errorType, String error, SyncStatus syncStatus) {

    public static ApiError of(String errorType, String error) {
        return new ApiError("error", errorType, error, null);
    }
}
