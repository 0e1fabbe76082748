package io.lb4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.Balancer;
import io.lb4j.http.LoadBalancedHttpClient;
import io.lb4j.testing.LoopbackBackend;
import java.net.http.HttpClient;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Example: a service's unit test. Two real backends on loopback, a balancer over a static list of
 * them, and the code under test ({@link UsersClient}) unaware of either.
 */
class UsersClientTest {
    private LoopbackBackend one;
    private LoopbackBackend two;
    private Balancer users;
    private UsersClient client;

    @BeforeEach
    void setUp() throws Exception {
        one = LoopbackBackend.start("one");
        two = LoopbackBackend.start("two");
        users = Balancer.builder("users").endpoints(one.endpoint(), two.endpoint()).build();
        HttpClient http = LoadBalancedHttpClient.builder(HttpClient.newHttpClient()).service(users).build();
        client = new UsersClient(http);
    }

    @AfterEach
    void tearDown() {
        users.close();
        one.stop();
        two.stop();
    }

    @Test
    void spreadsCallsOverTheStaticList() throws Exception {
        Set<String> answeredBy = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            answeredBy.add(client.user("42"));
        }
        assertThat(answeredBy).containsExactlyInAnyOrder("one", "two");
        assertThat(one.requestCount() + two.requestCount()).isEqualTo(10);
    }

    @Test
    void aFailingInstanceIsRetriedOnTheOther() throws Exception {
        one.status(503);
        for (int i = 0; i < 10; i++) {
            assertThat(client.user("42")).isEqualTo("two");
        }
    }
}
