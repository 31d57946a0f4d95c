package io.mirador.replica;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mirador.state.SyncStatus;
import io.mirador.sync.SyncConflictException;
import io.mirador.sync.SyncRequest;
import io.mirador.sync.SyncRun;
import io.mirador.sync.SyncUnavailableException;
import org.apache.camel.Body;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.redisson.client.RedisException;
import org.redisson.api.RBlockingQueue;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Syncs run on the replica that holds the {@code sync} lease, whichever replica was asked. A replica asked for a sync
 * while another holds the lease hands the request over through Valkey and answers what the holder answers: the
 * sync's result, or 409 with the status of the sync already running. Alone, this replica always holds the lease and
 * nothing is handed over.
 *
 * <p>The request goes onto the list {@code <prefix>sync:requests} as {@code {"id","reply","request"}}; while it holds
 * the lease, the holder takes requests from it (a blocking pop of one second at a time, fresh each time, so that it
 * survives Valkey restarting) and pushes to the request's own list {@code <prefix>sync:reply:<id>} first "taken",
 * then the answer. An asker that hears nothing within {@code mirador.replica.hand-over-wait} takes its request back
 * off the list (when it is still there, no replica holds the lease: 503) — Redisson's remote service did the same,
 * but did not take requests again after a Valkey restart.
 */
public final class SyncForwarding {

    private static final Logger LOG = LoggerFactory.getLogger(SyncForwarding.class);
    /** The lease namespace of the syncs: the {@code master:} routes name it too. */
    public static final String NAMESPACE = "sync";
    /**
     * Handed-over requests the holder takes at once (each holds a Valkey connection while it waits): a second request
     * for a tenant already syncing is answered 409 at once, not after the first sync.
     */
    private static final int WORKERS = 3;
    /** The first message on a reply list: a holder took the request (followed by its id). */
    private static final String TAKEN = "taken:";
    /** How often an asker checks that the replica running its sync still holds the syncs. */
    private static final Duration ANSWER_CHECK = Duration.ofSeconds(2);
    /** How much longer than its wait a blocking read may take before it counts as a connection failure. */
    private static final Duration POP_GRACE = Duration.ofSeconds(4);

    private final CamelContext context;
    private final CamelClusterService cluster;
    private final RedissonClient redis;
    private final String prefix;
    private final ObjectMapper json;
    private final Duration ackWithin;
    private final Duration resultWithin;
    private ProducerTemplate producer;
    private ExecutorService takers;

    /**
     * @param redis        null when this process runs alone
     * @param ackWithin    how long a handed-over request waits for a holder to take it
     * @param resultWithin how long it waits for the sync's end
     */
    public SyncForwarding(CamelContext context, CamelClusterService cluster, RedissonClient redis, String prefix,
                          ObjectMapper json, Duration ackWithin, Duration resultWithin) {
        this.context = context;
        this.cluster = cluster;
        this.redis = redis;
        this.prefix = prefix;
        this.json = json;
        this.ackWithin = ackWithin;
        this.resultWithin = resultWithin;
    }

    /**
     * Takes handed-over requests while this replica holds the sync lease; called once the cluster service runs. The
     * holder asks Valkey for the next request once a second on each of {@link #WORKERS} threads (a fresh blocking
     * read each time, which survives Valkey restarting, where a long-lived subscription did not).
     */
    public void start() {
        if (redis == null) {
            return;
        }
        CamelClusterView view;
        try {
            view = cluster.getView(NAMESPACE);
        } catch (Exception e) {
            throw new IllegalStateException("cannot watch the sync lease", e);
        }
        view.addEventListener((CamelClusterEventListener.Leadership) (v, leader) -> {
            if (leader != null && leader.isLocal()) {
                takeRequests();
            } else {
                stopTakingRequests();
            }
        });
    }

    private synchronized void takeRequests() {
        if (takers != null) {
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS, r -> {
            Thread t = new Thread(r, "sync-hand-over");
            t.setDaemon(true);
            return t;
        });
        RBlockingQueue<String> requests = redis.getBlockingQueue(prefix + "sync:requests", StringCodec.INSTANCE);
        for (int i = 0; i < WORKERS; i++) {
            pool.execute(() -> {
                while (!pool.isShutdown()) {
                    String taken;
                    try {
                        taken = pop(requests, Duration.ofSeconds(1));
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException e) {
                        // Valkey away: the lease goes with it, and this loop with the lease
                        sleep(Duration.ofMillis(500));
                        continue;
                    }
                    if (taken != null && (pool.isShutdown() || !holdsSyncs())) {
                        // taken by a read sent before this replica lost the lease: back to the head, for the holder
                        redis.<String>getDeque(prefix + "sync:requests", StringCodec.INSTANCE).addFirstAsync(taken);
                    } else if (taken != null) {
                        answer(taken);
                    }
                }
            });
        }
        takers = pool;
        LOG.info("this replica runs the syncs of all replicas");
    }

    private synchronized void stopTakingRequests() {
        if (takers != null) {
            takers.shutdown();
            takers = null;
        }
    }

    /**
     * A blocking pop that returns within its wait and a few seconds more, whatever the connection does: an asker was
     * seen waiting a minute on a Valkey that had just come back.
     */
    private static String pop(RBlockingQueue<String> queue, Duration wait) throws InterruptedException {
        return bounded(queue.pollAsync(wait.toMillis(), TimeUnit.MILLISECONDS), wait);
    }

    /** The result of a Valkey command, waited for at most {@code wait} and a few seconds more. */
    private static <T> T bounded(org.redisson.api.RFuture<T> command, Duration wait) throws InterruptedException {
        long limit = wait.toMillis() + POP_GRACE.toMillis();
        try {
            return command.toCompletableFuture().get(limit, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new RedisException("Valkey did not answer within " + limit + " ms");
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new RedisException(String.valueOf(e.getCause()));
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether syncs run here: this replica holds the sync lease. */
    public boolean holdsSyncs() {
        return cluster.isLeader(NAMESPACE);
    }

    /** Who holds the sync lease, as this replica last saw it; empty alone (there is no lease) or while nobody does. */
    public Optional<String> holder() {
        if (redis == null) {
            return Optional.empty();
        }
        try {
            return cluster.getView(NAMESPACE).getLeader().map(CamelClusterMember::getId);
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /**
     * Hands a sync request to the holder and answers its outcome.
     *
     * @throws SyncConflictException    with the running sync's status, as the holder answered
     * @throws SyncUnavailableException when no replica holds the lease now, or Valkey cannot be reached
     */
    public SyncStatus forward(@Body SyncRequest request) {
        if (redis == null) {
            throw new IllegalStateException("a sync was to be handed over, but this replica runs alone");
        }
        String answer;
        try {
            String id = UUID.randomUUID().toString();
            String replyKey = prefix + "sync:reply:" + id;
            ObjectNode envelope = json.createObjectNode().put("id", id).put("reply", replyKey)
                    .put("asked_at", System.currentTimeMillis());
            envelope.set("request", json.valueToTree(request));
            String sent = envelope.toString();
            RBlockingQueue<String> requests = redis.getBlockingQueue(prefix + "sync:requests", StringCodec.INSTANCE);
            RBlockingQueue<String> reply = redis.getBlockingQueue(replyKey, StringCodec.INSTANCE);
            bounded(requests.addAsync(sent), ackWithin);
            String taken = pop(reply, ackWithin);
            if (taken == null) {
                if (Boolean.TRUE.equals(bounded(requests.removeAsync(sent), ackWithin))) {
                    throw new SyncUnavailableException("no replica holds the syncs now (the lease passes to another"
                            + " replica within its length); try again", null);
                }
                // taken just now: its confirmation follows at once, or the holder failed to give it
                taken = pop(reply, ackWithin);
                if (taken == null) {
                    throw new SyncUnavailableException("the replica holding the syncs took the request but did not"
                            + " confirm it; the sync's status says whether it runs", null);
                }
            }
            String taker = taken.startsWith(TAKEN) ? taken.substring(TAKEN.length()) : "";
            answer = taken.startsWith(TAKEN) ? null : taken;
            long deadline = System.nanoTime() + resultWithin.toNanos();
            while (answer == null) {
                answer = pop(reply, ANSWER_CHECK);
                if (answer == null && !taker.equals(holder().orElse(""))) {
                    throw new SyncUnavailableException("the replica that ran the sync (" + taker + ") stopped holding"
                            + " the syncs before it answered; the sync's status says how it ended", null);
                }
                if (answer == null && System.nanoTime() > deadline) {
                    throw new SyncUnavailableException("the replica holding the syncs did not answer within "
                            + resultWithin.toSeconds() + "s; the sync's status says how it ended", null);
                }
            }
            reply.delete();
        } catch (RedisException e) {
            throw new SyncUnavailableException("the sync cannot be handed to the replica holding the syncs: "
                    + ValkeyFailures.describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncUnavailableException("interrupted while the replica holding the syncs ran it", e);
        }
        try {
            JsonNode node = json.readTree(answer);
            if (node.has("conflict")) {
                throw new SyncConflictException(json.treeToValue(node.get("conflict"), SyncStatus.class));
            }
            if (node.has("unavailable")) {
                throw new SyncUnavailableException(node.get("unavailable").asText(), null);
            }
            return json.treeToValue(node.get("outcome"), SyncStatus.class);
        } catch (IOException e) {
            throw new UncheckedIOException("the answer of the replica holding the syncs is not valid", e);
        }
    }

    /** On the holder: says the request is taken, runs it, answers it; the answer waits an hour at most for its asker. */
    private void answer(String taken) {
        String replyKey;
        String request;
        long askedAt;
        try {
            JsonNode envelope = json.readTree(taken);
            askedAt = envelope.path("asked_at").asLong(0);
            replyKey = envelope.path("reply").asText();
            request = envelope.path("request").toString();
        } catch (IOException e) {
            LOG.warn("a handed-over sync request is not JSON; dropped");
            return;
        }
        if (!replyKey.startsWith(prefix + "sync:reply:")) {
            LOG.warn("a handed-over sync request names no reply list of its own; dropped");
            return;
        }
        if (System.currentTimeMillis() - askedAt > ackWithin.toMillis() * 2) {
            // its asker has stopped waiting (a request Valkey kept through a restart, say): nobody wants this sync now
            LOG.info("a handed-over sync request asked {} ms ago was dropped: its asker no longer waits",
                    System.currentTimeMillis() - askedAt);
            return;
        }
        RBlockingQueue<String> reply = redis.getBlockingQueue(replyKey, StringCodec.INSTANCE);
        try {
            reply.add(TAKEN + cluster.getId());
            reply.expire(Duration.ofHours(1));
            String answer = runHere(request);
            reply.add(answer);
            reply.expire(Duration.ofHours(1));
        } catch (RuntimeException e) {
            LOG.warn("the answer to a handed-over sync cannot be given ({}); the asker reads the sync's status",
                    ValkeyFailures.describe(e));
        }
    }

    /** On the holder: runs a handed-over request like one asked here. */
    private String runHere(String requestJson) {
        ObjectNode answer = json.createObjectNode();
        try {
            SyncRequest request = json.readValue(requestJson, SyncRequest.class);
            SyncRun run = producer().requestBody("direct:sync-run", request, SyncRun.class);
            answer.set("outcome", json.valueToTree(run.outcome()));
        } catch (RuntimeException | IOException e) {
            SyncConflictException conflict = cause(e, SyncConflictException.class);
            if (conflict != null) {
                answer.set("conflict", json.valueToTree(conflict.running()));
            } else {
                Throwable t = Optional.<Throwable>ofNullable(cause(e, SyncUnavailableException.class)).orElse(e);
                answer.put("unavailable", "the replica holding the syncs could not run it: " + t.getMessage());
            }
        }
        return answer.toString();
    }

    private synchronized ProducerTemplate producer() {
        if (producer == null) {
            producer = context.createProducerTemplate();
        }
        return producer;
    }

    private static <T extends Throwable> T cause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
