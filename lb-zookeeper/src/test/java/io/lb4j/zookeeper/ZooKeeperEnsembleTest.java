package io.lb4j.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A three-member ensemble whose leader is killed (SIGKILL) under a source and a registration. */
class ZooKeeperEnsembleTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static List<String> authorities(Balancer b) {
        return b.endpoints().stream().map(Endpoint::authority).sorted().toList();
    }

    @Test
    void theLeadersDeathLosesNeitherTheListNorTheRegistrationAndChangesAfterTheElectionAreSeen(@TempDir Path dir) throws Exception {
        List<ZooKeeperServers.Member> members = ZooKeeperServers.ensemble(dir, 3);
        String all = ZooKeeperServers.connectString(members);
        try (ZkOps ops = new ZkOps(all);
                ZooKeeperRegistration registration = ZooKeeperRegistration.builder("quorum", Endpoint.of("127.0.0.1", 9001))
                        .connectString(all).sessionTimeout(Duration.ofSeconds(15)).drainPeriod(Duration.ZERO).register();
                Balancer b = Balancer.builder("quorum")
                        .source(ZooKeeperSource.builder("quorum").connectString(all).sessionTimeout(Duration.ofSeconds(15)).build())
                        .build()) {
            registration.whenRegistered().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            ops.instance("/services/quorum/other", "127.0.0.1", 9002);
            Await.until(WAIT, "both instances", () -> authorities(b), l -> l.equals(List.of("127.0.0.1:9001", "127.0.0.1:9002")));
            long owner = ops.stat(registration.path()).getEphemeralOwner();

            ZooKeeperServers.Member leader = members.stream().filter(ZooKeeperServers.Member::isLeader).findFirst().orElseThrow();
            leader.kill();
            List<ZooKeeperServers.Member> survivors = members.stream().filter(m -> m != leader).toList();
            Await.until(WAIT, "a new leader", () -> survivors.stream().anyMatch(ZooKeeperServers.Member::isLeader));

            // every follower drops its clients when the leader goes: the source was told, and kept its list
            Await.until(WAIT, "the source to report the disconnection", b::sourceErrorCount, n -> n > 0);
            assertThat(authorities(b)).containsExactly("127.0.0.1:9001", "127.0.0.1:9002");
            ops.instance("/services/quorum/third", "127.0.0.1", 9003);
            Await.until(WAIT, "the change made after the election", () -> authorities(b),
                    l -> l.equals(List.of("127.0.0.1:9001", "127.0.0.1:9002", "127.0.0.1:9003")));
            // the session outlived the election, so the registration's znode never went away
            assertThat(ops.stat(registration.path()).getEphemeralOwner()).isEqualTo(owner);
            Await.until(WAIT, "the registration connected again", registration::isRegistered);

            registration.close();
            Await.until(WAIT, "the deregistered instance gone", () -> authorities(b),
                    l -> l.equals(List.of("127.0.0.1:9002", "127.0.0.1:9003")));
        } finally {
            members.forEach(ZooKeeperServers.Member::close);
        }
    }
}
