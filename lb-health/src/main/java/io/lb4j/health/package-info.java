/**
 * Health of a balancer's endpoints: active probing ({@link io.lb4j.health.HealthChecker} with a
 * {@link io.lb4j.health.Probe}) and passive outlier ejection from real call outcomes
 * ({@link io.lb4j.health.OutlierDetector}). Start at {@link io.lb4j.health.HealthChecker#builder}.
 */
package io.lb4j.health;
