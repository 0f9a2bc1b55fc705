package org.anomalyj;

import java.util.function.Supplier;

/**
 * A per-thread scratch object reused from call to call, taken out while in use: a nested call on
 * the same thread (a fork/join worker that helps with other tasks while it waits) finds none and
 * gets a fresh one instead of overwriting the one in use.
 *
 * @param <T> the scratch (a buffer, a set of rows)
 */
public final class ThreadScratch<T> {
    private final ThreadLocal<T> own = new ThreadLocal<>();

    /** This thread's scratch, taken out until {@link #give}; null when there is none. */
    public T take() {
        T s = own.get();
        own.remove();
        return s;
    }

    /** This thread's scratch, or a new one from {@code fresh}; taken out until {@link #give}. */
    public T take(Supplier<T> fresh) {
        T s = take();
        return s != null ? s : fresh.get();
    }

    /** Leaves {@code scratch} to this thread's next call. */
    public void give(T scratch) {
        own.set(scratch);
    }
}
