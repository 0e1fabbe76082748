/**
 * A {@link java.net.http.HttpClient} decorator that resolves service names to endpoints through
 * lb-core balancers and retries failed calls on other endpoints. Start at
 * {@link io.lb4j.http.LoadBalancedHttpClient#builder(java.net.http.HttpClient)} and {@link io.lb4j.http.RetryPolicy}.
 */
package io.lb4j.http;
