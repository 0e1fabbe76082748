/**
 * Spring Boot auto-configuration of lb4j: {@link io.lb4j.spring.Lb4jAutoConfiguration} reads
 * {@code lb4j.*} through lb-config and runs it; {@link io.lb4j.spring.Lb4jEndpoint} is the Actuator
 * endpoint; {@link io.lb4j.spring.Lb4jRuntimeCustomizer} adjusts the runtime. See docs/spring-boot.md.
 */
package io.lb4j.spring;
