/**
 * Load-balancing strategies for {@link io.lb4j.core.Balancer}: random, weighted round-robin and
 * random, least-connections and peak-EWMA (power of two choices), consistent hashing (ring or Maglev table), slow start.
 * Start at {@link io.lb4j.strategies.Strategies}.
 */
package io.lb4j.strategies;
