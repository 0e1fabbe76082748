package io.lb4j.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.Balancer;
import io.lb4j.http.testing.Nginx;
import io.lb4j.http.testing.TestCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against nginx with name-based virtual hosts, as a user's ingress would have them: over plain
 * HTTP the service's {@code server_name} answers; over HTTPS nginx picks the certificate by SNI
 * (the service) but the virtual host by {@code Host} (the endpoint, unless the JVM allows the
 * Host header); HTTP/2 works in both cases.
 */
class NginxTest {
    @TempDir
    static Path dir;
    private static Nginx nginx;
    private static int httpPort;
    private static int httpsPort;
    private static final TestCertificates CERTS = TestCertificates.get();

    @BeforeAll
    static void startNginx() throws Exception {
        httpPort = Nginx.freePort();
        httpsPort = Nginx.freePort();
        Files.createDirectories(dir.resolve("conf"));
        CERTS.writePem("users", dir.resolve("conf"));
        CERTS.writePem("other", dir.resolve("conf"));
        String listenHttp = "listen 127.0.0.1:" + httpPort;
        String listenHttps = "listen 127.0.0.1:" + httpsPort + " ssl http2";
        String answer = " host=$host sni=$ssl_server_name proto=$server_protocol request=\\\"$request\\\"\";";
        nginx = Nginx.start(dir, String.join("\n",
                "server { " + listenHttp + " default_server; server_name _; return 200 \"default" + answer + " }",
                "server { " + listenHttp + "; server_name users.internal; return 200 \"users" + answer + " }",
                "server { " + listenHttps + " default_server; server_name _; ssl_certificate other.crt; ssl_certificate_key other.key;",
                "         return 200 \"default" + answer + " }",
                "server { " + listenHttps + "; server_name users.internal; ssl_certificate users.crt; ssl_certificate_key users.key;",
                "         return 200 \"users" + answer + " }"), httpPort, httpsPort);
    }

    @AfterAll
    static void stopNginx() {
        if (nginx != null) {
            nginx.close();
        }
    }

    private static String send(HttpClient delegate, String uri, int port) throws Exception {
        Balancer users = Balancer.builder("users.internal").endpoints("127.0.0.1:" + port).build();
        try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder(delegate).service(users).build()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(uri)).build(), BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            return r.body();
        }
    }

    @Test
    void plainHttpReachesTheServicesVirtualHost() throws Exception {
        String body = send(HttpClient.newHttpClient(), "http://users.internal/api/x?q=1", httpPort);

        assertThat(body).isEqualTo("users host=users.internal sni= proto=HTTP/1.1 request=\"GET http://users.internal/api/x?q=1 HTTP/1.1\"");
    }

    @Test
    void httpsGetsTheServicesCertificateBySniButTheDefaultVirtualHostByHostOverHttp2() throws Exception {
        // the default server's certificate names other.internal: succeeding proves nginx chose users.internal's by SNI
        HttpClient h2 = HttpClient.newBuilder().sslContext(CERTS.clientContext()).build();

        String body = send(h2, "https://users.internal/api/x", httpsPort);

        assertThat(body).isEqualTo("default host=127.0.0.1 sni=users.internal proto=HTTP/2.0 request=\"GET /api/x HTTP/2.0\"");
    }

    @Test
    void withTheHostPropertyHttps11ReachesTheServicesVirtualHostAndHttp2StaysValid() throws Exception {
        List<String> lines = HostHeaderTest.runWithHostProperty("nginx", String.valueOf(httpsPort));

        assertThat(lines).contains(
                "nginx HTTP_1_1 users host=users.internal sni=users.internal proto=HTTP/1.1 request=\"GET /v HTTP/1.1\"",
                // no Host header next to :authority over HTTP/2: nginx answers 400 to both (the last line)
                "nginx HTTP_2 default host=127.0.0.1 sni=users.internal proto=HTTP/2.0 request=\"GET /v HTTP/2.0\"",
                "nginx plain JDK HTTP_2 with Host: status 400");
    }
}
