package org.callrec.capture.mirror.internal.correlation;

/**
 * Phone address fingerprints to values: open addressing on primitive keys with linear probing, so
 * that looking up the two addresses of every packet boxes nothing. Not thread-safe (the capture
 * thread's).
 *
 * @param <T> the value type
 */
final class PhoneIndex<T> {

    private long[] keys = new long[64];
    private Object[] values = new Object[64];
    private int size;

    private int home(long key) {
        return Long.hashCode(key * 0x9E3779B97F4A7C15L) & (keys.length - 1);
    }

    /** @return the value, or null */
    @SuppressWarnings("unchecked")
    T get(long key) {
        int mask = keys.length - 1;
        for (int i = home(key); values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return (T) values[i];
            }
        }
        return null;
    }

    /** @param value not null */
    void put(long key, T value) {
        if (value == null) {
            throw new IllegalArgumentException("null value for key " + key);
        }
        int mask = keys.length - 1;
        int i = home(key);
        while (values[i] != null && keys[i] != key) {
            i = (i + 1) & mask;
        }
        if (values[i] == null) {
            size++;
        }
        keys[i] = key;
        values[i] = value;
        if (size * 2 > keys.length) {
            grow();
        }
    }

    @SuppressWarnings("unchecked")
    private void grow() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new Object[oldKeys.length * 2];
        size = 0;
        for (int k = 0; k < oldKeys.length; k++) {
            if (oldValues[k] != null) {
                put(oldKeys[k], (T) oldValues[k]);
            }
        }
    }

    void remove(long key) {
        int mask = keys.length - 1;
        int i = home(key);
        while (values[i] != null && keys[i] != key) {
            i = (i + 1) & mask;
        }
        if (values[i] == null) {
            return;
        }
        values[i] = null;
        size--;
        // close the hole: a later entry of the cluster moves back into it unless its home lies
        // (cyclically) after the hole and at or before the entry's own slot
        for (int j = (i + 1) & mask; values[j] != null; j = (j + 1) & mask) {
            int h = home(keys[j]);
            boolean stays = i <= j ? i < h && h <= j : i < h || h <= j;
            if (!stays) {
                keys[i] = keys[j];
                values[i] = values[j];
                values[j] = null;
                i = j;
            }
        }
    }

    int size() {
        return size;
    }
}
