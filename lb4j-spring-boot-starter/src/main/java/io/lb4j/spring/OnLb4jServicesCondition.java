package io.lb4j.spring;

import java.util.Map;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when at least one {@code lb4j.services.<name>} is configured (else there is no client to offer). */
final class OnLb4jServicesCondition implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return Binder.get(context.getEnvironment())
                .bind("lb4j.services", Bindable.mapOf(String.class, Object.class))
                .map(Map::size).orElse(0) > 0;
    }
}
