package io.mirador.support;

/**
 * Turns character slices into Strings, returning the same instance for equal text while it is in the
 * pool, so a value repeated on every series is allocated once and hashes once. Open addressing over a
 * power-of-two table; when the table is half full it is cleared, which bounds its memory. Not thread-safe.
 */
public final class StringPool {

    private final String[] table;
    private final int mask;
    private int size;

    /** @param capacity slots, rounded up to a power of two; holds up to half as many strings */
    public StringPool(int capacity) {
        int slots = Integer.highestOneBit(Math.max(16, capacity - 1)) << 1;
        this.table = new String[slots];
        this.mask = slots - 1;
    }

    public String get(char[] chars, int offset, int length) {
        int hash = 0;
        for (int i = 0; i < length; i++) {
            hash = 31 * hash + chars[offset + i];
        }
        int slot = (hash ^ (hash >>> 16)) & mask;
        while (true) {
            String s = table[slot];
            if (s == null) {
                break;
            }
            if (s.length() == length && s.hashCode() == hash && sameChars(s, chars, offset, length)) {
                return s;
            }
            slot = (slot + 1) & mask;
        }
        String created = new String(chars, offset, length);
        if (size >= table.length / 2) {
            java.util.Arrays.fill(table, null);
            size = 0;
            slot = (hash ^ (hash >>> 16)) & mask;
            while (table[slot] != null) {
                slot = (slot + 1) & mask;
            }
        }
        table[slot] = created;
        size++;
        return created;
    }

    private static boolean sameChars(String s, char[] chars, int offset, int length) {
        for (int i = 0; i < length; i++) {
            if (s.charAt(i) != chars[offset + i]) {
                return false;
            }
        }
        return true;
    }
}
