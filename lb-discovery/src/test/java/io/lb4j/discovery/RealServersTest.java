package io.lb4j.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class RealServersTest {

    @Test
    void missingBinarySkipsWithWhatToInstall() {
        assertThatThrownBy(() -> RealServers.binary("lb4j-no-such-server", "lb4j-pkg", false))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("lb4j-no-such-server is not installed; install it with: apt-get install -y lb4j-pkg");
    }

    @Test
    void missingBinaryFailsWhenServersAreRequired() {
        assertThatThrownBy(() -> RealServers.binary("lb4j-no-such-server", "lb4j-pkg", true))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("LB4J_REQUIRE_SERVERS=true");
    }

    @Test
    void findsABinaryOnThePath() {
        assertThat(RealServers.binary("sh", "dash", true, "/bin/sh")).isExecutable();
    }

    @Test
    void freePortIsFreeForTcpAndUdp() {
        int port = RealServers.freePort();
        assertThat(port).isBetween(1024, 65535);
        assertThat(RealServers.accepts(port)).isFalse();
    }
}
