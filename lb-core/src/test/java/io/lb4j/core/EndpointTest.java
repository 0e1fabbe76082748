package io.lb4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class EndpointTest {

    @ParameterizedTest
    @CsvSource({
            "10.0.0.1:8080, 10.0.0.1, 8080, 10.0.0.1:8080",
            "[::1]:8080, ::1, 8080, [::1]:8080",
            "http://users-1.internal:9000, users-1.internal, 9000, users-1.internal:9000",
            "http://Users-1.Internal/, users-1.internal, 80, users-1.internal:80",
            "https://h, h, 443, h:443",
            "https://[fe80::1]:8443, fe80::1, 8443, [fe80::1]:8443",
            "' localhost:1 ', localhost, 1, localhost:1",
            "node-1.svc:65535, node-1.svc, 65535, node-1.svc:65535",
            "users.internal.:80, users.internal, 80, users.internal:80",
            "[::ffff:10.0.0.1]:80, ::ffff:10.0.0.1, 80, [::ffff:10.0.0.1]:80",
            "[1:2:3:4:5:6:7:8]:80, 1:2:3:4:5:6:7:8, 80, [1:2:3:4:5:6:7:8]:80",
            "[fe80::1%eth0]:80, fe80::1%eth0, 80, [fe80::1%eth0]:80",
            "xn--bcher-kva.example:80, xn--bcher-kva.example, 80, xn--bcher-kva.example:80",
            "0.0.0.0:1, 0.0.0.0, 1, 0.0.0.0:1",
    })
    void parsesAddresses(String text, String host, int port, String authority) {
        Endpoint e = Endpoint.parse(text);
        assertThat(e.host()).isEqualTo(host);
        assertThat(e.port()).isEqualTo(port);
        assertThat(e.authority()).isEqualTo(authority);
        assertThat(e.weight()).isEqualTo(1);
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                Arguments.of("10.0.0.1", "endpoint '10.0.0.1': missing port (expected: host:port)"),
                Arguments.of("10.0.0.1:70000", "endpoint '10.0.0.1:70000': port: 70000 (expected: 1-65535)"),
                Arguments.of("10.0.0.1:0", "endpoint '10.0.0.1:0': port: 0 (expected: 1-65535)"),
                Arguments.of("10.0.0.1:http", "endpoint '10.0.0.1:http': port 'http' (expected: 1-65535 in ASCII digits, no sign or leading zero)"),
                Arguments.of("::1:8080", "endpoint '::1:8080': an IPv6 literal must be in brackets, e.g. [::1]:8080"),
                Arguments.of("[::1:8080", "endpoint '[::1:8080': unclosed '[' in IPv6 literal"),
                Arguments.of("[::1]8080", "endpoint '[::1]8080': expected ':' after ']'"),
                Arguments.of("ftp://h:21", "endpoint 'ftp://h:21': scheme 'ftp' is not http or https"),
                Arguments.of("http://h:80/api", "endpoint 'http://h:80/api': an endpoint has no path, query or fragment"),
                Arguments.of("", "endpoint '': expected: host:port"),
                Arguments.of("bad host:80", "endpoint 'bad host:80': host: 'bad host' (expected: letters, digits, '-' and '.' only; found ' ' at 3)"),
                Arguments.of(":80", "endpoint ':80': host: '' (expected: a host name or IP address)"),
                Arguments.of("a..b:80", "endpoint 'a..b:80': host: 'a..b' (expected: no empty label)"),
                Arguments.of("[zz::1]:80", "endpoint '[zz::1]:80': host: 'zz::1' (expected: " + IPV6 + ")"));
    }

    private static final String IPV4 = "an IPv4 address of four numbers 0-255 without leading zeros";
    private static final String IPV6 = "an IPv6 address of at most eight groups of 1-4 hex digits with at most one '::'";
    private static final String PORT = "(expected: 1-65535 in ASCII digits, no sign or leading zero)";

    /** Hosts and ports java.net.URI cannot carry: each would have made every call to the endpoint fail. */
    static Stream<Arguments> hostsAndPortsUrisCannotCarry() {
        return Stream.of(
                Arguments.of("h_1:80", "host: 'h_1' (expected: letters, digits, '-' and '.' only; found '_' at 1, which URIs cannot carry in a host)"),
                Arguments.of("999.1.1.1:80", "host: '999.1.1.1' (expected: " + IPV4 + ")"),
                Arguments.of("1.2.3:80", "host: '1.2.3' (expected: " + IPV4 + ")"),
                Arguments.of("1.2.3.4.5:80", "host: '1.2.3.4.5' (expected: " + IPV4 + ")"),
                Arguments.of("010.0.0.1:80", "host: '010.0.0.1' (expected: " + IPV4 + ")"),
                Arguments.of("-h-:80", "host: '-h-' (expected: no label starting or ending with '-')"),
                Arguments.of("a-.b:80", "host: 'a-.b' (expected: no label starting or ending with '-')"),
                Arguments.of("x.1a:80", "host: 'x.1a' (expected: the last label of a host name starts with a letter, or an IPv4 address of four parts)"),
                Arguments.of("a" + "b".repeat(63) + ".c:80", "host: 'a" + "b".repeat(63) + ".c' (expected: labels of at most 63 characters)"),
                Arguments.of("[1:2:3:4:5:6:7:8:9]:80", "host: '1:2:3:4:5:6:7:8:9' (expected: " + IPV6 + ")"),
                Arguments.of("[1::2::3]:80", "host: '1::2::3' (expected: " + IPV6 + ")"),
                Arguments.of("[12345::1]:80", "host: '12345::1' (expected: " + IPV6 + ")"),
                Arguments.of("[1:2:3:4:5:6:7]:80", "host: '1:2:3:4:5:6:7' (expected: " + IPV6 + ")"),
                Arguments.of("[:1:2::3]:80", "host: ':1:2::3' (expected: " + IPV6 + ")"),
                Arguments.of("[::1.2.3]:80", "host: '::1.2.3' (expected: " + IPV4 + ")"),
                Arguments.of("[fe80::1%]:80", "host: 'fe80::1%' (expected: a zone id after '%')"),
                Arguments.of("[\u0661::1]:80", "host: '\u0661::1' (expected: " + IPV6 + ")"),
                Arguments.of("h:+80", "port '+80' " + PORT),
                Arguments.of("h:0080", "port '0080' " + PORT),
                Arguments.of("h:-1", "port '-1' " + PORT),
                Arguments.of("h:\u0668\u0660", "port '\u0668\u0660' " + PORT),
                Arguments.of("h:123456", "port '123456' " + PORT),
                Arguments.of("h:", "port '' " + PORT));
    }

    @ParameterizedTest
    @MethodSource("hostsAndPortsUrisCannotCarry")
    void rejectsEveryHostAndPortAUriCannotCarry(String text, String rule) {
        assertThatThrownBy(() -> Endpoint.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("endpoint '" + text + "': " + rule);
    }

    @ParameterizedTest
    @CsvSource({"users.internal", "10.0.0.1", "::1", "fe80::1%eth0", "a-b.c-d.e", "h"})
    void everyAcceptedHostMakesAUriWithThatHost(String host) throws Exception {
        Endpoint e = Endpoint.of(host, 8080);
        java.net.URI uri = new java.net.URI("http://" + e.authority() + "/x");
        assertThat(uri.getHost()).isNotNull();
        assertThat(uri.getPort()).isEqualTo(8080);
    }

    @ParameterizedTest
    @MethodSource("badInputs")
    void rejectsMalformedAddressesNamingValueAndRule(String text, String message) {
        assertThatThrownBy(() -> Endpoint.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void rejectsBadAttributesNamingValueAndRule() {
        Endpoint e = Endpoint.of("h", 1);
        assertThatThrownBy(() -> e.withWeight(-1)).hasMessage("weight: -1 (expected: >= 0)");
        assertThatThrownBy(() -> e.withWeight(1_000_001)).hasMessage("weight: 1000001 (expected: <= 1000000)");
        assertThatThrownBy(() -> Endpoint.of("h", -5)).hasMessage("port: -5 (expected: 1-65535)");
        assertThatThrownBy(() -> Endpoint.of(null, 5)).isInstanceOf(NullPointerException.class).hasMessage("host: null (expected: not null)");
        assertThatThrownBy(() -> Endpoint.builder("h", 1).zone(" ")).hasMessage("zone: ' ' (expected: null or not blank)");
        assertThatThrownBy(() -> Endpoint.builder("h", 1).metadata("k", null)).hasMessage("metadata['k']: null (expected: not null)");
        assertThatThrownBy(() -> Endpoint.parse(null)).hasMessage("endpoint: null (expected: not null)");
    }

    @Test
    void identityIsHostAndPortOnly() {
        Endpoint a = Endpoint.builder("h", 80).weight(3).zone("z").metadata("v", "1").build();
        Endpoint b = Endpoint.of("H", 80);
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.sameAttributes(b)).isFalse();
        assertThat(a.toBuilder().build().sameAttributes(a)).isTrue();
        assertThat(a).isNotEqualTo(Endpoint.of("h", 81));
    }

    @Test
    void isImmutable() {
        Endpoint a = Endpoint.builder("h", 80).metadata(Map.of("k", "v")).build();
        assertThatThrownBy(() -> a.metadata().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        Endpoint drained = a.withWeight(0);
        assertThat(a.weight()).isEqualTo(1);
        assertThat(drained.weight()).isZero();
        assertThat(drained.metadata()).containsEntry("k", "v");
        assertThat(a.withWeight(1)).isSameAs(a);
        assertThat(drained.toString()).isEqualTo("h:80 (weight 0)");
        assertThat(a.withZone("eu").zone()).contains("eu");
    }
}
