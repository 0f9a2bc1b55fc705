package org.anomalyj.api;

import org.anomalyj.io.ArrayStore;
import org.anomalyj.io.NpyArray;

/** A view of an {@link ArrayStore} whose names all carry a prefix: one tile model's arrays in an ensemble bundle. */
final class PrefixedArrayStore implements ArrayStore {
    private final ArrayStore store;
    private final String prefix;

    PrefixedArrayStore(ArrayStore store, String prefix) {
        this.store = store;
        this.prefix = prefix;
    }

    @Override
    public void put(String name, NpyArray array) {
        store.put(prefix + name, array);
    }

    @Override
    public NpyArray get(String name) {
        return store.get(prefix + name);
    }

    @Override
    public boolean contains(String name) {
        return store.contains(prefix + name);
    }
}
