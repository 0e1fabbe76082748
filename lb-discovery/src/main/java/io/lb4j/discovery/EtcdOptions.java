package io.lb4j.discovery;

import static io.lb4j.core.internal.Checks.notNull;
import static io.lb4j.core.internal.Checks.notSetYet;
import static io.lb4j.core.internal.Checks.positive;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/** The options {@link EtcdSource.Builder} and {@link EtcdRegistration.Builder} share, validated once. */
final class EtcdOptions {
    final String service;
    private List<URI> endpoints;
    private String prefix;
    private Duration requestTimeout;

    EtcdOptions(String service) {
        notNull(service, "service");
        if (service.isBlank() || service.indexOf('/') >= 0) {
            throw new IllegalArgumentException("service: '" + service + "' (expected: not blank, no '/')");
        }
        this.service = service;
    }

    void endpoints(String... urls) {
        notSetYet(endpoints, "endpoints");
        this.endpoints = EtcdClient.parseEndpoints(urls);
    }

    void prefix(String prefix) {
        notSetYet(this.prefix, "prefix");
        notNull(prefix, "prefix");
        if (!prefix.startsWith("/") || !prefix.endsWith("/") || prefix.length() < 2) {
            throw new IllegalArgumentException("prefix: '" + prefix + "' (expected: starts and ends with '/', like /services/users/)");
        }
        this.prefix = prefix;
    }

    void requestTimeout(Duration timeout) {
        notSetYet(requestTimeout, "requestTimeout");
        this.requestTimeout = positive(timeout, "requestTimeout");
    }

    List<URI> endpointsOrDefault() {
        return endpoints != null ? endpoints : EtcdClient.parseEndpoints(EtcdClient.DEFAULT_ENDPOINT);
    }

    String prefixOrDefault() {
        return prefix != null ? prefix : "/services/" + service + "/";
    }

    Duration requestTimeoutOr(Duration dflt) {
        return requestTimeout != null ? requestTimeout : dflt;
    }
}
