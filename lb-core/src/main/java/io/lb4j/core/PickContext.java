package io.lb4j.core;

import static io.lb4j.core.internal.Checks.notNull;

import java.util.Collection;
import java.util.Set;

/**
 * What a pick may take into account: a hash key (for consistent hashing) and endpoints to avoid
 * (a retry avoids the endpoints already tried). If every eligible endpoint is avoided, the
 * balancer picks among them anyway: a retry on a tried endpoint beats no retry.
 *
 * <p>Immutable and thread-safe.
 * <pre>{@code
 * Selection s = balancer.pick(PickContext.ofHashKey(userId));
 * Selection retry = balancer.pick(PickContext.builder().hashKey(userId).avoid(tried).build());
 * }</pre>
 */
public final class PickContext {

    /** No hash key, nothing to avoid. */
    public static final PickContext NONE = new PickContext(null, 0L, Set.of());

    private final String hashKey;
    private final long hash;
    private final Set<Endpoint> avoid;

    private PickContext(String hashKey, long hash, Set<Endpoint> avoid) {
        this.hashKey = hashKey;
        this.hash = hash;
        this.avoid = avoid;
    }

    /**
     * A context with a hash key and nothing to avoid.
     *
     * @param hashKey the key
     * @return the context
     */
    public static PickContext ofHashKey(String hashKey) {
        return builder().hashKey(hashKey).build();
    }

    /**
     * A context that avoids the given endpoints.
     *
     * @param avoid the endpoints to avoid
     * @return the context
     */
    public static PickContext avoiding(Collection<Endpoint> avoid) {
        return builder().avoid(avoid).build();
    }

    /** {@return a builder for a context with a hash key and endpoints to avoid} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the hash key, or {@code null} when there is none} */
    public String hashKey() {
        return hashKey;
    }

    /** {@return whether there is a hash key} */
    public boolean hasHashKey() {
        return hashKey != null;
    }

    /**
     * A well-mixed 64-bit hash of the hash key (FNV-1a over the UTF-16 chars, then a
     * MurmurHash3 finalizer), computed once here so that pickers do not hash per pick;
     * 0 when there is no key.
     *
     * @return the hash
     */
    public long hash() {
        return hash;
    }

    /** {@return the endpoints this pick should avoid; never null} */
    public Set<Endpoint> avoid() {
        return avoid;
    }

    /**
     * Whether this pick should avoid {@code endpoint}.
     *
     * @param endpoint the endpoint
     * @return whether it is in {@link #avoid()}
     */
    public boolean avoids(Endpoint endpoint) {
        return !avoid.isEmpty() && avoid.contains(endpoint);
    }

    static long hash(CharSequence key) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < key.length(); i++) {
            h ^= key.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    @Override
    public String toString() {
        return "PickContext{hashKey=" + hashKey + ", avoid=" + avoid + "}";
    }

    /** Builds a {@link PickContext}; not thread-safe. */
    public static final class Builder {
        private String hashKey;
        private Set<Endpoint> avoid = Set.of();

        private Builder() {}

        /**
         * The hash key; {@code null} for none.
         *
         * @param hashKey the key
         * @return this builder
         */
        public Builder hashKey(String hashKey) {
            this.hashKey = notNull(hashKey, "hashKey");
            return this;
        }

        /**
         * @param endpoints the endpoints to avoid
         * @return this builder
         * @throws NullPointerException if the collection or an element is null
         */
        public Builder avoid(Collection<Endpoint> endpoints) {
            this.avoid = Set.copyOf(notNull(endpoints, "avoid"));
            return this;
        }

        /** {@return the context} */
        public PickContext build() {
            if (hashKey == null && avoid.isEmpty()) {
                return NONE;
            }
            return new PickContext(hashKey, hashKey == null ? 0L : hash(hashKey), avoid);
        }
    }
}
