package io.lb4j.spring;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/** An application with nothing but auto-configuration: what a user's Spring Boot application is to the starter. */
@SpringBootConfiguration
@EnableAutoConfiguration
class TestApp {
}
