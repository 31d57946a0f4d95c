package io.mirador.replica;

import io.mirador.semantic.VectorBytes;
import io.mirador.testing.Valkey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Vectors shared in a real redis-server: read back as the sharing replica keeps them, pruned to the texts the catalog
 * has, embedded only by the lease holder, and by every replica while Valkey is gone.
 */
class ValkeyVectorsIT {

    @TempDir
    Path dir;
    private Valkey valkey;
    private RedissonClient redis;

    @BeforeEach
    void start() {
        valkey = Valkey.start(dir);
        Config config = new Config();
        config.useSingleServer().setAddress(valkey.url()).setTimeout(1000).setRetryAttempts(0);
        redis = Redisson.create(config);
    }

    @AfterEach
    void stop() {
        redis.shutdown();
        valkey.close();
    }

    @Test
    void should_share_prune_and_say_who_embeds_when_replicas_share_vectors() {
        // given
        AtomicBoolean holds = new AtomicBoolean(true);
        ValkeyVectors shared = new ValkeyVectors(redis, "mirador:", holds::get);
        float[] a = {0.1f, -0.5f, 0.9f};
        float[] b = {1f, 0f, 0f};

        // when
        shared.put("default", Map.of("aaaa", a, "bbbb", b, "cccc", b));
        shared.retain("default", Set.of("aaaa", "bbbb"));

        // then
        Map<String, float[]> read = shared.get("default", List.of("aaaa", "bbbb", "cccc", "dddd"));
        assertThat(read).containsOnlyKeys("aaaa", "bbbb");
        assertThat(read.get("aaaa")).isEqualTo(VectorBytes.roundTrip(a));
        assertThat(shared.get("other-tenant", List.of("aaaa"))).isEmpty();
        assertThat(shared.embedsHere()).isTrue();
        holds.set(false);
        assertThat(shared.embedsHere()).isFalse();

        // when: Valkey is gone
        valkey.stop();

        // then: nothing read, and this replica embeds for itself
        assertThat(shared.get("default", List.of("aaaa"))).isEmpty();
        assertThat(shared.embedsHere()).isTrue();
    }
}
