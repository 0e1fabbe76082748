/**
 * Load-balancing strategies for an lb4j balancer: random, weighted, least-connections and
 * peak-EWMA (power of two choices), consistent hashing, slow start; more by name through
 * {@link io.lb4j.strategies.StrategyProvider} services. Start at {@link io.lb4j.strategies.Strategies}.
 */
module io.lb4j.strategies {
    requires transitive io.lb4j.core;
    requires org.slf4j;

    exports io.lb4j.strategies;

    uses io.lb4j.strategies.StrategyProvider;
}
