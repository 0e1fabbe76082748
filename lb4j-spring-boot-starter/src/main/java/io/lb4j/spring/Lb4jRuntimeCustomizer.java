package io.lb4j.spring;

import io.lb4j.config.Lb4jRuntime;

/**
 * Adjusts the {@link Lb4jRuntime.Builder} before the starter builds the runtime: declare a bean of
 * this type to hand over the {@code HttpClient} that sends every attempt (TLS, proxy, executor),
 * for example. The starter's own Micrometer binding is one of these.
 *
 * <p>Implementations are called once, on the thread that creates the runtime bean.
 * <pre>{@code
 * @Bean
 * Lb4jRuntimeCustomizer tls(SSLContext ssl) {
 *     return b -> b.httpClient(HttpClient.newBuilder().sslContext(ssl).build());
 * }
 * }</pre>
 */
@FunctionalInterface
public interface Lb4jRuntimeCustomizer {

    /**
     * Adjusts the builder.
     *
     * @param builder the builder of the application's runtime
     */
    void customize(Lb4jRuntime.Builder builder);
}
