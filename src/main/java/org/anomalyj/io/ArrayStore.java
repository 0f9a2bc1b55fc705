package org.anomalyj.io;

/**
 * Named arrays of a model bundle ({@code name.npy} entries). Models write their fitted state here
 * and read it back; the bundle decides where the bytes live (zip or folder).
 */
public interface ArrayStore {

    void put(String name, NpyArray array);

    /** @throws org.anomalyj.AnomalyJException naming the bundle when the array is missing or unreadable */
    NpyArray get(String name);

    boolean contains(String name);
}
