package io.mirador.replica;

import org.redisson.client.RedisConnectionException;
import org.redisson.client.RedisTimeoutException;

/** Says what went wrong with Valkey in words an operator reads, not in the client library's. */
final class ValkeyFailures {

    private ValkeyFailures() {
    }

    static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RedisConnectionException) {
                return "Valkey cannot be reached";
            }
            if (t instanceof RedisTimeoutException) {
                return "Valkey did not answer in time";
            }
        }
        // anything else the client reports (a connection closed mid-command: "Unexpected exception while processing
        // command") still names Valkey, so the operator knows where to look
        String m = failure.getMessage();
        return "Valkey failed: " + (m == null ? failure.getClass().getSimpleName() : m);
    }
}
