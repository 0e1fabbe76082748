package io.lb4j.core;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * An unmodifiable list of endpoint states that also holds their weights as the snapshot was built
 * with them: what a snapshot hands a strategy, so that {@link StrategyContext#weights} answers
 * from an array instead of reading every state (at 100,000 endpoints a cache miss each, the main
 * cost of rebuilding a weighted picker after one exclusion change).
 */
final class StateList extends AbstractList<EndpointState> implements RandomAccess {
    private final EndpointState[] states;
    private final int[] weights;
    private final int size;

    /** The first {@code size} of {@code states} and {@code weights}; neither is copied, nor to be modified after. */
    StateList(EndpointState[] states, int[] weights, int size) {
        if (states.length < size || weights.length < size) {
            throw new IllegalArgumentException("size " + size + " exceeds " + states.length + " states or "
                    + weights.length + " weights");
        }
        this.states = states;
        this.weights = weights;
        this.size = size;
    }

    /** The weights of {@code endpoints} in order: a copy of a state list's, else each state's own. */
    static int[] weightsOf(List<EndpointState> endpoints) {
        if (endpoints instanceof StateList list) {
            return Arrays.copyOf(list.weights, list.size);
        }
        int[] weights = new int[endpoints.size()];
        int i = 0;
        for (EndpointState st : endpoints) {
            weights[i++] = st.weight();
        }
        return weights;
    }

    @Override
    public EndpointState get(int index) {
        if (index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " of a list of " + size);
        }
        return states[index];
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Object[] toArray() {
        return Arrays.copyOf(states, size, Object[].class);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T[] toArray(T[] a) {
        // one bulk copy: from EndpointState[] into an array of EndpointState or a supertype the JVM
        // copies without a type check per element (each would read the state's header)
        if (a.length < size) {
            return (T[]) Arrays.copyOf(states, size, a.getClass());
        }
        System.arraycopy(states, 0, a, 0, size);
        if (a.length > size) {
            a[size] = null;
        }
        return a;
    }
}
