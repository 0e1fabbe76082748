/**
 * Framework-free configuration of lb4j: {@link io.lb4j.config.Lb4jConfig} reads {@code lb4j.*}
 * keys from a {@code Map} or {@code Properties} into a typed, checked description, and
 * {@link io.lb4j.config.Lb4jRuntime} runs it. Start with {@code Lb4jConfig.from(properties)}; the
 * keys are listed by {@link io.lb4j.config.Key#all()} and in docs/configuration.md.
 */
package io.lb4j.config;
