package io.lb4j.discovery;

import io.lb4j.core.Endpoint;
import io.lb4j.core.EndpointSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what a source delivers, for tests that look at the errors themselves. */
final class RecordingListener implements EndpointSource.Listener {
    final List<List<Endpoint>> lists = new CopyOnWriteArrayList<>();
    final List<Throwable> errors = new CopyOnWriteArrayList<>();

    @Override
    public void onEndpoints(List<Endpoint> endpoints) {
        lists.add(endpoints);
    }

    @Override
    public void onError(Throwable cause) {
        errors.add(cause);
    }

    List<Endpoint> lastList() {
        return lists.isEmpty() ? null : lists.get(lists.size() - 1);
    }

    Throwable lastError() {
        return errors.isEmpty() ? null : errors.get(errors.size() - 1);
    }
}
