package io.lb4j.discovery;

import io.lb4j.core.Endpoint;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A serving process for the tests: registers one instance with a shutdown hook, prints
 * {@code registered}, then waits to be killed. Arguments: etcd URL, service, port, TTL seconds.
 */
public final class RegistrationMain {
    private RegistrationMain() {}

    public static void main(String[] args) throws Exception {
        EtcdRegistration reg = EtcdRegistration.builder(args[1], Endpoint.of("127.0.0.1", Integer.parseInt(args[2])))
                .endpoints(args[0])
                .ttl(Duration.ofSeconds(Long.parseLong(args[3])))
                .shutdownHook(true)
                .register();
        reg.whenRegistered().get(20, TimeUnit.SECONDS);
        System.out.println("registered " + reg.leaseId());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
