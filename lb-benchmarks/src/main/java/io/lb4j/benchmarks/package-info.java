/**
 * JMH benchmarks of lb4j ("is it fast"). Start with {@link io.lb4j.benchmarks.PickBenchmark};
 * each class's javadoc holds the command that runs it.
 */
package io.lb4j.benchmarks;
