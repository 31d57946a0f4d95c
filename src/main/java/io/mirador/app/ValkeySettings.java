package io.mirador.app;

import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.redisson.config.ReadMode;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * How replicas reach Valkey ({@code mirador.state.valkey.*}): one server by URL ({@code redis://} or, with TLS,
 * {@code rediss://}), or the servers a set of sentinels names for a primary, or a cluster's nodes. The lease
 * length is Redisson's lock watchdog: how long a dead replica keeps the syncs.
 *
 * @param sentinels    sentinel addresses ({@code host:port}); with {@code sentinelMaster}, sentinel mode
 * @param clusterNodes cluster node addresses; cluster mode
 * @param timeout      for each command's answer
 * @param lease        how long a replica that died keeps the sync lease
 */
record ValkeySettings(String url, String password, String prefix, String sentinelMaster, List<String> sentinels,
                      List<String> clusterNodes, Duration timeout, Duration lease) {

    static ValkeySettings from(Settings s) {
        String sentinelMaster = s.textOrEmpty("mirador.state.valkey.sentinel-master");
        List<String> sentinels = list(s.textOrEmpty("mirador.state.valkey.sentinels"));
        if (sentinelMaster.isEmpty() != sentinels.isEmpty()) {
            throw new IllegalArgumentException("mirador.state.valkey.sentinel-master (MIRADOR_VALKEY_SENTINEL_MASTER) and"
                    + " mirador.state.valkey.sentinels (MIRADOR_VALKEY_SENTINELS) go together: set both or neither");
        }
        List<String> cluster = list(s.textOrEmpty("mirador.state.valkey.cluster-nodes"));
        if (!cluster.isEmpty() && !sentinels.isEmpty()) {
            throw new IllegalArgumentException("mirador.state.valkey.cluster-nodes and mirador.state.valkey.sentinels"
                    + " name two ways to reach Valkey: set one");
        }
        return new ValkeySettings(s.text("mirador.state.valkey.url"), s.textOrEmpty("mirador.state.valkey.password"),
                s.text("mirador.state.valkey.key-prefix"), sentinelMaster, sentinels, cluster,
                s.duration("mirador.state.valkey.timeout", Duration.ofMillis(100), Duration.ofMinutes(1)),
                s.duration("mirador.replica.lease", Duration.ofSeconds(1), Duration.ofMinutes(10)));
    }

    private static List<String> list(String text) {
        return Arrays.stream(text.split(",")).map(String::trim).filter(a -> !a.isEmpty()).toList();
    }

    /** A client that connects when first used, so that a Valkey down at start does not stop the service. */
    RedissonClient connect() {
        Config config = new Config().setLazyInitialization(true).setLockWatchdogTimeout(lease.toMillis());
        String pw = password.isEmpty() ? null : password;
        int timeoutMs = (int) timeout.toMillis();
        String scheme = url.startsWith("rediss://") ? "rediss://" : "redis://";
        if (!sentinels.isEmpty()) {
            config.useSentinelServers().setMasterName(sentinelMaster).setPassword(pw).setReadMode(ReadMode.MASTER)
                    .addSentinelAddress(sentinels.stream().map(a -> address(scheme, a)).toArray(String[]::new))
                    .setCheckSentinelsList(false).setConnectTimeout(timeoutMs).setTimeout(timeoutMs).setRetryAttempts(1)
                    .setMasterConnectionMinimumIdleSize(1).setMasterConnectionPoolSize(16)
                    .setSubscriptionConnectionMinimumIdleSize(1);
        } else if (!clusterNodes.isEmpty()) {
            config.useClusterServers().setPassword(pw).setReadMode(ReadMode.MASTER)
                    .addNodeAddress(clusterNodes.stream().map(a -> address(scheme, a)).toArray(String[]::new))
                    .setConnectTimeout(timeoutMs).setTimeout(timeoutMs).setRetryAttempts(1)
                    .setMasterConnectionMinimumIdleSize(1).setMasterConnectionPoolSize(16);
        } else {
            config.useSingleServer().setAddress(url).setPassword(pw).setConnectTimeout(Math.min(timeoutMs, 1000))
                    .setTimeout(timeoutMs).setRetryAttempts(0).setConnectionMinimumIdleSize(1).setConnectionPoolSize(16)
                    .setSubscriptionConnectionMinimumIdleSize(1);
        }
        return Redisson.create(config);
    }

    private static String address(String scheme, String hostPort) {
        return hostPort.contains("://") ? hostPort : scheme + hostPort;
    }

    /** Where the store is, for messages: never the password. */
    String describe() {
        if (!sentinels.isEmpty()) {
            return "sentinels " + sentinels + " (primary '" + sentinelMaster + "')";
        }
        return clusterNodes.isEmpty() ? url.replaceAll("//[^@/]*@", "//") : "cluster " + clusterNodes;
    }
}
