package io.mirador.replica;

import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.redisson.api.RBucket;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Camel's cluster service on Valkey leases, for the {@code master:} component: per namespace, the replica holding the
 * Redisson lock {@code <prefix>lease:<namespace>} leads. Redisson's watchdog renews the lock while the process lives;
 * it expires one lease after the holder dies (a kill -9, a lost network), and a replica that cannot reach Valkey gives
 * up its leadership at its next check rather than risk a second leader. Each replica tries every third of a lease;
 * the leader's id is kept in {@code <prefix>lease:<namespace>:holder} for status pages.
 */
public final class LeaseClusterService extends AbstractCamelClusterService<LeaseClusterService.LeaseView> {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseClusterService.class);

    private final RedissonClient redis;
    private final String prefix;
    private final Duration lease;

    /** @param lease how long a dead holder keeps the lease: Redisson's lock watchdog timeout, set on {@code redis} */
    public LeaseClusterService(RedissonClient redis, String prefix, String replicaId, Duration lease) {
        super(replicaId);
        this.redis = redis;
        this.prefix = prefix;
        this.lease = lease;
    }

    @Override
    protected LeaseView createView(String namespace) {
        return new LeaseView(this, namespace);
    }

    /** One namespace's lease, tried and checked on one thread (a Redisson lock belongs to the thread that took it). */
    final class LeaseView extends AbstractCamelClusterView {

        private final RLock lock;
        private final RBucket<String> holder;
        private final Member local = new Member(getId(), true);
        private ScheduledExecutorService checks;
        private volatile boolean leader;
        private volatile String leaderId;

        LeaseView(LeaseClusterService service, String namespace) {
            super(service, namespace);
            this.lock = redis.getLock(prefix + "lease:" + namespace);
            this.holder = redis.getBucket(prefix + "lease:" + namespace + ":holder", StringCodec.INSTANCE);
        }

        @Override
        protected void doStart() {
            checks = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "lease-" + getNamespace());
                t.setDaemon(true);
                return t;
            });
            checks.scheduleWithFixedDelay(this::check, 0, Math.max(100, lease.toMillis() / 3), TimeUnit.MILLISECONDS);
        }

        private void check() {
            try {
                if (!leader) {
                    if (lock.tryLock()) {
                        // a lock still ours from before Valkey went away is taken again: hold it once
                        while (lock.getHoldCount() > 1) {
                            lock.unlock();
                        }
                        leader = true;
                        leaderId = getId();
                        holder.set(getId(), lease.multipliedBy(2));
                        LOG.info("this replica ({}) now holds the lease '{}'", getId(), getNamespace());
                        fireLeadershipChangedEvent(local);
                    } else {
                        leaderId = holder.get();
                    }
                } else if (lock.isHeldByCurrentThread()) {
                    holder.set(getId(), lease.multipliedBy(2));
                } else {
                    lost("its lock expired or was removed");
                }
            } catch (RuntimeException e) {
                if (leader) {
                    lost(ValkeyFailures.describe(e));
                } else {
                    leaderId = null;
                }
            }
        }

        private void lost(String why) {
            leader = false;
            leaderId = null;
            LOG.warn("this replica ({}) no longer holds the lease '{}': {}", getId(), getNamespace(), why);
            fireLeadershipChangedEvent(Optional.empty());
        }

        @Override
        protected void doStop() throws InterruptedException {
            if (checks == null) {
                return;
            }
            checks.submit(() -> {
                if (leader) {
                    leader = false;
                    fireLeadershipChangedEvent(Optional.empty());
                    try {
                        while (lock.isHeldByCurrentThread()) {
                            lock.unlock();
                        }
                        holder.delete();
                        LOG.info("this replica ({}) gave up the lease '{}'", getId(), getNamespace());
                    } catch (RuntimeException e) {
                        LOG.warn("cannot give up the lease '{}' ({}); it expires by itself", getNamespace(), e.getMessage());
                    }
                }
            });
            checks.shutdown();
            checks.awaitTermination(5, TimeUnit.SECONDS);
        }

        @Override
        public Optional<CamelClusterMember> getLeader() {
            if (leader) {
                return Optional.of(local);
            }
            String id = leaderId;
            return id == null ? Optional.empty() : Optional.of(new Member(id, false));
        }

        @Override
        public CamelClusterMember getLocalMember() {
            return local;
        }

        @Override
        public List<CamelClusterMember> getMembers() {
            List<CamelClusterMember> members = new ArrayList<>(List.of(local));
            getLeader().filter(m -> !m.isLocal()).ifPresent(members::add);
            return members;
        }

        /** A replica as this one knows it: only the leader and itself are known. */
        private final class Member implements CamelClusterMember {
            private final String id;
            private final boolean isLocal;

            Member(String id, boolean isLocal) {
                this.id = id;
                this.isLocal = isLocal;
            }

            @Override
            public boolean isLeader() {
                return isLocal ? leader : id.equals(leaderId);
            }

            @Override
            public boolean isLocal() {
                return isLocal;
            }

            @Override
            public String getId() {
                return id;
            }
        }
    }
}
