package io.lb4j.spring;

import java.util.function.Function;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What ZooKeeperAbsentTest runs in a class loader without lb-zookeeper: a Spring Boot application
 * started there (its classes, Spring's and lb4j's all from that loader). Public with a public
 * constructor, as it is created reflectively; a Function, a JDK type both loaders share.
 */
public final class ZooKeeperAbsentScenario implements Function<String[], String> {

    /** Created reflectively. */
    public ZooKeeperAbsentScenario() {
    }

    /** Starts the application with {@code properties}: "started" and the lb4j services, or the root cause of the failure. */
    @Override
    public String apply(String[] properties) {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApp.class).web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off", "spring.config.name=no-application-file").properties(properties).run()) {
            return "started " + context.getBean(io.lb4j.config.Lb4jRuntime.class).balancers().keySet();
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            return root.getClass().getName() + ": " + root.getMessage();
        }
    }
}
