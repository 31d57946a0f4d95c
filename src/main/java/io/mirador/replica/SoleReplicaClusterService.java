package io.mirador.replica;

import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;

import java.util.List;
import java.util.Optional;

/** Camel's cluster service for a catalog run as one process: this replica leads every namespace from its start. */
public final class SoleReplicaClusterService extends AbstractCamelClusterService<SoleReplicaClusterService.SoleView> {

    public SoleReplicaClusterService(String replicaId) {
        super(replicaId);
    }

    @Override
    protected SoleView createView(String namespace) {
        return new SoleView(this, namespace);
    }

    static final class SoleView extends AbstractCamelClusterView {

        private final CamelClusterMember self;

        SoleView(SoleReplicaClusterService service, String namespace) {
            super(service, namespace);
            String id = service.getId();
            this.self = new CamelClusterMember() {
                @Override
                public boolean isLeader() {
                    return true;
                }

                @Override
                public boolean isLocal() {
                    return true;
                }

                @Override
                public String getId() {
                    return id;
                }
            };
        }

        @Override
        protected void doStart() {
            fireLeadershipChangedEvent(self);
        }

        @Override
        protected void doStop() {
            fireLeadershipChangedEvent(Optional.empty());
        }

        @Override
        public Optional<CamelClusterMember> getLeader() {
            return Optional.of(self);
        }

        @Override
        public CamelClusterMember getLocalMember() {
            return self;
        }

        @Override
        public List<CamelClusterMember> getMembers() {
            return List.of(self);
        }
    }
}
