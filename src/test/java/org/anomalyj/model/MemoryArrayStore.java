package org.anomalyj.model;

import java.util.HashMap;
import java.util.Map;
import org.anomalyj.AnomalyJException;
import org.anomalyj.io.ArrayStore;
import org.anomalyj.io.NpyArray;

/** In-memory ArrayStore for tests. */
public final class MemoryArrayStore implements ArrayStore {
    public final Map<String, NpyArray> arrays = new HashMap<>();

    @Override
    public void put(String name, NpyArray array) {
        arrays.put(name, array);
    }

    @Override
    public NpyArray get(String name) {
        NpyArray a = arrays.get(name);
        if (a == null) {
            throw new AnomalyJException("test store has no " + name);
        }
        return a;
    }

    @Override
    public boolean contains(String name) {
        return arrays.containsKey(name);
    }
}
