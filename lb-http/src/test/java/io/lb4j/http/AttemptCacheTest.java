package io.lb4j.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import org.junit.jupiter.api.Test;

class AttemptCacheTest {
    private final Endpoint a = Endpoint.of("10.0.0.1", 80);
    private final Endpoint b = Endpoint.of("10.0.0.2", 80);
    private final Balancer users = Balancer.builder("users").endpoints(a, b).build();
    private final HttpClient delegate = Fixtures.newDelegate();
    /** Endpoint authority in URI and Host, as with serviceHostHeader(false). */
    private final AttemptCache cache = new AttemptCache(new ServiceClients(users, delegate, false));
    /** The default: the service as Host, via the endpoint as proxy (this JVM does not allow a Host header). */
    private final AttemptCache byService = new AttemptCache(new ServiceClients(users, delegate, true));

    @Test
    void repeatedRequestGetsTheSameAttemptRequestPerEndpoint() {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://users/x?q=1")).header("X-A", "1").build();

        HttpRequest first = cache.attempt(request, a, 0).request;
        assertThat(first.uri()).isEqualTo(URI.create("http://10.0.0.1:80/x?q=1"));
        assertThat(first.headers().firstValue("X-A")).contains("1");
        assertThat(cache.attempt(request, a, 0).request).isSameAs(first);
        assertThat(cache.attempt(request, b, 0).request.uri()).isEqualTo(URI.create("http://10.0.0.2:80/x?q=1"));
        assertThat(cache.attempt(request, a, 0).request).isSameAs(first);
        assertThat(cache.attempt(request, a, 0).client).isSameAs(delegate);
    }

    @Test
    void newRequestForTheSameUriReusesTheRewrittenUriButNothingElse() {
        HttpRequest one = HttpRequest.newBuilder(URI.create("http://users/x")).header("X-A", "1").build();
        HttpRequest two = HttpRequest.newBuilder(URI.create("http://users/x")).header("X-A", "2").build();

        HttpRequest first = cache.attempt(one, a, 0).request;
        HttpRequest second = cache.attempt(two, a, 0).request;

        assertThat(second).isNotSameAs(first);
        assertThat(second.uri()).isSameAs(first.uri());
        assertThat(second.headers().firstValue("X-A")).contains("2");
    }

    @Test
    void differentTimeoutOrUriBuildsAFreshAttempt() {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://users/x")).build();
        HttpRequest first = cache.attempt(request, a, 0).request;

        HttpRequest timed = cache.attempt(request, a, Duration.ofMillis(5).toNanos()).request;
        assertThat(timed.timeout()).contains(Duration.ofMillis(5));
        assertThat(first.timeout()).isEmpty();

        HttpRequest other = cache.attempt(HttpRequest.newBuilder(URI.create("http://users/y")).build(), a, 0).request;
        assertThat(other.uri()).isEqualTo(URI.create("http://10.0.0.1:80/y"));
    }

    @Test
    void plainHttpKeepsTheServiceUriOnAClientPerEndpointWhoseProxyIsThatEndpoint() {
        assertThat(ServiceClients.HOST_HEADER_ALLOWED).isFalse(); // surefire starts this JVM without the property
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://users/x?q=1")).build();

        AttemptCache.Prepared atA = byService.attempt(request, a, 0);
        AttemptCache.Prepared atB = byService.attempt(request, b, 0);

        assertThat(atA.request.uri()).isEqualTo(URI.create("http://users/x?q=1"));
        assertThat(atA.request.headers().firstValue("Host")).isEmpty();
        assertThat(atA.client).isNotSameAs(delegate).isNotSameAs(atB.client);
        assertThat(atA.client.proxy().orElseThrow().select(URI.create("http://users/x")))
                .containsExactly(new Proxy(Proxy.Type.HTTP, new InetSocketAddress("10.0.0.1", 80)));
        assertThat(atA.client.proxy().orElseThrow().select(URI.create("http://elsewhere/x"))).containsExactly(Proxy.NO_PROXY);
        assertThat(atA.client.proxy().orElseThrow().select(URI.create("https://users/x"))).containsExactly(Proxy.NO_PROXY);
        // the same endpoint's client again, also for another request
        assertThat(byService.attempt(HttpRequest.newBuilder(URI.create("http://users/y")).build(), a, 0).client)
                .isSameAs(atA.client);
        // the delegate's settings carried over
        assertThat(atA.client.connectTimeout()).isEqualTo(delegate.connectTimeout());
        assertThat(atA.client.version()).isEqualTo(delegate.version());
    }

    @Test
    void httpsGoesToTheEndpointOnOneClientPerServiceWhoseServerNameIsTheService() {
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://users/x")).build();

        AttemptCache.Prepared atA = byService.attempt(request, a, 0);
        AttemptCache.Prepared atB = byService.attempt(request, b, 0);

        assertThat(atA.request.uri()).isEqualTo(URI.create("https://10.0.0.1:80/x"));
        assertThat(atA.client).isNotSameAs(delegate).isSameAs(atB.client)
                .isSameAs(byService.attempt(HttpRequest.newBuilder(URI.create("https://users/y")).build(), a, 0).client);
        assertThat(atA.client.sslParameters().getServerNames()).containsExactly(new SNIHostName("users"));
        assertThat(atA.client.sslContext()).isSameAs(delegate.sslContext());
        assertThat(cache.attempt(request, a, 0).client).as("serviceHostHeader(false) keeps SNI")
                .isSameAs(cache.attempt(request, b, 0).client).isNotSameAs(delegate);
    }

    @Test
    void endpointsThatLeftTheListLoseTheirClientWhenANewOneIsMade() {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://users/x")).build();
        HttpClient first = byService.attempt(request, a, 0).client;
        Endpoint c = Endpoint.of("10.0.0.3", 80);
        users.update(List.of(b, c));

        byService.attempt(request, c, 0);
        users.update(List.of(a, b, c));

        HttpRequest fresh = HttpRequest.newBuilder(URI.create("http://users/x")).build();
        assertThat(byService.attempt(fresh, a, 0).client).isNotSameAs(first);
    }
}
