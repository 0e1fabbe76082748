package io.lb4j.spring;

import io.lb4j.config.Lb4jConfig;
import io.lb4j.config.Lb4jRuntime;
import io.lb4j.http.LoadBalancedHttpClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.RestTemplateCustomizer;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * Auto-configuration of lb4j: reads {@code lb4j.*} (through lb-config's one parser, so the keys
 * and rules are those of docs/configuration.md; a bad key or value fails start-up naming the key,
 * the value and the rule), runs it as an {@link Lb4jRuntime} bean (balancers with their sources,
 * health checkers, outlier detectors, the HTTP client) and, when the application has them:
 * <ul>
 *   <li>a {@link LoadBalancedHttpClient} bean, and a {@link RestClientCustomizer} and a
 *       {@link RestTemplateCustomizer} that put it under every {@code RestClient.Builder} and
 *       {@code RestTemplateBuilder}, so {@code http://users/...} is balanced;</li>
 *   <li>the meters of lb4j in the application's {@link MeterRegistry};</li>
 *   <li>the Actuator endpoint {@code lb4j} ({@link Lb4jEndpoint}): lb-admin's JSON of the balancers' views;</li>
 *   <li>the application's own registration in etcd or ZooKeeper ({@code lb4j.registration.*}),
 *       started once the web server listens and removed first on shutdown.</li>
 * </ul>
 * Off with {@code lb4j.enabled=false}.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"},
        beforeName = {
        "org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration",
        "org.springframework.boot.restclient.autoconfigure.RestTemplateAutoConfiguration"})
@ConditionalOnProperty(prefix = "lb4j", name = "enabled", havingValue = "true", matchIfMissing = true)
public class Lb4jAutoConfiguration {

    /** Created by Spring. */
    public Lb4jAutoConfiguration() {
    }

    /**
     * The checked description of {@code lb4j.*}.
     *
     * @param environment the application's environment
     * @return the description
     */
    @Bean
    @ConditionalOnMissingBean
    public Lb4jConfig lb4jConfig(ConfigurableEnvironment environment) {
        return EnvironmentKeys.read(environment);
    }

    /**
     * The running balancers, checkers, detectors and client; closed with the context (after
     * the registration was revoked and the web server stopped).
     *
     * @param config the description
     * @param customizers adjustments of the builder, in order
     * @return the runtime
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Lb4jRuntime lb4jRuntime(Lb4jConfig config, ObjectProvider<Lb4jRuntimeCustomizer> customizers) {
        Lb4jRuntime.Builder builder = Lb4jRuntime.builder(config).registerOnBuild(false);
        customizers.orderedStream().forEach(c -> c.customize(builder));
        return builder.build();
    }

    /**
     * Starts the registration when the application is ready to serve and revokes it first on shutdown.
     *
     * @param runtime the runtime
     * @param context the application context (for the web server's port)
     * @return the lifecycle
     */
    @Bean
    @ConditionalOnProperty(prefix = "lb4j.registration", name = "enabled", havingValue = "true")
    Lb4jRegistrationLifecycle lb4jRegistrationLifecycle(Lb4jRuntime runtime, ApplicationContext context) {
        return new Lb4jRegistrationLifecycle(runtime, context);
    }

    /** The HTTP client and the customisers that put it under Spring's clients, when services are configured. */
    @Configuration(proxyBeanMethods = false)
    @Conditional(OnLb4jServicesCondition.class)
    static class ClientConfiguration {

        /**
         * The load-balanced client of every configured service. Not closed by Spring: the runtime
         * closes it, after the registration.
         */
        @Bean(destroyMethod = "")
        @ConditionalOnMissingBean
        LoadBalancedHttpClient lb4jHttpClient(Lb4jRuntime runtime) {
            return runtime.client().orElseThrow();
        }

        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass({RestClient.class, RestClientCustomizer.class})
        static class RestClientConfiguration {
            @Bean
            RestClientCustomizer lb4jRestClientCustomizer(LoadBalancedHttpClient client) {
                return builder -> builder.requestFactory(new JdkClientHttpRequestFactory(client));
            }

            @Bean
            RestTemplateCustomizer lb4jRestTemplateCustomizer(LoadBalancedHttpClient client) {
                return template -> template.setRequestFactory(new JdkClientHttpRequestFactory(client));
            }
        }
    }

    /** lb4j's meters in the application's registry. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class MetricsConfiguration {
        @Bean
        Lb4jRuntimeCustomizer lb4jMeterBinding(ObjectProvider<MeterRegistry> registry) {
            return builder -> {
                MeterRegistry r = registry.getIfUnique();
                if (r != null) {
                    builder.meterRegistry(r);
                }
            };
        }
    }

    /** The Actuator endpoint {@code lb4j}, when Actuator is there and the endpoint is available. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({WebEndpoint.class, ConditionalOnAvailableEndpoint.class})
    static class EndpointConfiguration {
        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnAvailableEndpoint(endpoint = Lb4jEndpoint.class)
        Lb4jEndpoint lb4jEndpoint(Lb4jRuntime runtime) {
            return new Lb4jEndpoint(runtime);
        }
    }
}
