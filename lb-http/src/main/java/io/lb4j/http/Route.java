package io.lb4j.http;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.core.Ticker;
import java.net.http.HttpClient;

/** One service of a client: its balancer, retry policy, running budget, recorders and the clients its attempts go out on. */
final class Route {
    final String service;
    final Balancer balancer;
    final RetryPolicy policy;
    final BudgetTracker budget;
    final StatsCounters stats;
    final CallRecorder meters;
    final ServiceClients clients;
    final AttemptCache attempts;

    Route(Balancer balancer, RetryPolicy policy, CallRecorder meters, Ticker ticker, HttpClient delegate, boolean serviceHost) {
        this.service = balancer.service();
        this.clients = new ServiceClients(balancer, delegate, serviceHost);
        this.attempts = new AttemptCache(clients);
        this.balancer = balancer;
        this.policy = policy;
        this.budget = new BudgetTracker(policy.budget(), ticker);
        this.stats = new StatsCounters(service);
        this.meters = meters;
    }

    void attempt(Endpoint endpoint) {
        stats.attempt(endpoint);
    }

    void attemptFailed(Endpoint endpoint) {
        stats.attemptFailed(endpoint);
        meters.attemptFailed(endpoint);
    }

    void retried(String reason, boolean requeue) {
        stats.retried(reason);
        if (requeue) {
            stats.requeued();
        }
        meters.retried(reason);
    }

    void budgetExhausted() {
        stats.budgetExhausted();
        meters.budgetExhausted();
    }

    void finished(String outcome, long nanos) {
        stats.finished(outcome, nanos);
        meters.finished(outcome, nanos);
    }
}
