package io.lb4j.spring;

import io.lb4j.config.InstanceRegistration;
import io.lb4j.config.Lb4jRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.ClassUtils;

/**
 * Registers the application once it serves and deregisters it before anything else stops. The
 * phase is the highest: started after the web server (so its port is known), stopped before the
 * web server's graceful shutdown and stop, so that callers stop routing here (the key drains,
 * then disappears) while this instance still answers. The balancers and the client are closed
 * later still, when the runtime bean is destroyed.
 */
final class Lb4jRegistrationLifecycle implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(Lb4jRegistrationLifecycle.class);
    private static final boolean WEB_SERVER = ClassUtils.isPresent(
            "org.springframework.boot.web.server.context.WebServerApplicationContext", Lb4jRegistrationLifecycle.class.getClassLoader());

    private final Lb4jRuntime runtime;
    private final ApplicationContext context;
    private volatile boolean running;

    Lb4jRegistrationLifecycle(Lb4jRuntime runtime, ApplicationContext context) {
        this.runtime = runtime;
        this.context = context;
    }

    @Override
    public void start() {
        int port = WEB_SERVER ? WebServerPort.of(context) : 0;
        if (port <= 0 && runtime.config().registration().orElseThrow().port().isEmpty()) {
            throw new IllegalStateException("lb4j.registration.port: not set and the application has no web server"
                    + " (expected: lb4j.registration.port, or a web application)");
        }
        InstanceRegistration r = runtime.register(Math.max(port, 0));
        log.info("registering in {}: {}", r.registry().configName(), r.location());
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        runtime.deregister();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }

    /** Kept apart so that no web-server class loads in an application without one. */
    private static final class WebServerPort {
        static int of(ApplicationContext context) {
            if (context instanceof org.springframework.boot.web.server.context.WebServerApplicationContext web && web.getWebServer() != null) {
                return web.getWebServer().getPort();
            }
            return 0;
        }
    }
}
