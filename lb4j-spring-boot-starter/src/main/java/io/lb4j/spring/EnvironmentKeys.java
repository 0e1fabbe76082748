package io.lb4j.spring;

import io.lb4j.config.Lb4jConfig;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Hands the {@code lb4j.*} properties of a Spring environment to lb-config's parser as a flat map,
 * so that {@code application.yml}, {@code application.properties}, environment variables and
 * system properties are read by the same rules as a framework-free {@code Properties} file.
 * Precedence is Spring's: the first property source naming a key (relaxed, as Spring compares
 * names) wins. YAML lists arrive indexed ({@code endpoints[0]}), bracketed map keys keep their
 * brackets ({@code services[users.internal]}), placeholders are resolved.
 */
final class EnvironmentKeys {
    private static final ConfigurationPropertyName LB4J = ConfigurationPropertyName.of("lb4j");

    private EnvironmentKeys() {}

    static Map<String, String> flatten(ConfigurableEnvironment environment) {
        Map<String, String> out = new LinkedHashMap<>();
        Set<ConfigurationPropertyName> seen = new HashSet<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (!(source instanceof IterableConfigurationPropertySource iterable)) {
                continue;
            }
            for (ConfigurationPropertyName name : iterable) {
                if (!LB4J.isAncestorOf(name) || !seen.add(name)) {
                    continue;
                }
                ConfigurationProperty property = source.getConfigurationProperty(name);
                Object value = property != null ? property.getValue() : null;
                if (value == null) {
                    continue;
                }
                String text = value instanceof String s ? environment.resolveRequiredPlaceholders(s) : String.valueOf(value);
                out.put(render(name), text);
            }
        }
        return out;
    }

    /**
     * Spring's canonical form: {@code lb4j.services[users.internal].endpoints[0]}, lower case, dashes
     * kept (a camel-case name loses its humps, which lb-config's relaxed names do not mind).
     */
    static String render(ConfigurationPropertyName name) {
        return name.toString();
    }

    /**
     * The configuration of the environment; a registration without a service name takes
     * {@code spring.application.name}.
     */
    static Lb4jConfig read(ConfigurableEnvironment environment) {
        Map<String, String> keys = flatten(environment);
        String application = environment.getProperty("spring.application.name");
        if (application != null && !application.isBlank() && "true".equalsIgnoreCase(keys.get("lb4j.registration.enabled"))
                && keys.keySet().stream().noneMatch(k -> k.startsWith("lb4j.registration.") && k.substring(18).replace("-", "").equalsIgnoreCase("service"))) {
            keys.put("lb4j.registration.service", application);
        }
        return Lb4jConfig.from(keys);
    }
}
