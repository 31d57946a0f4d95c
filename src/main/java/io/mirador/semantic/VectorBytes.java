package io.mirador.semantic;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A vector in one signed byte per dimension, scaled by its largest magnitude (kept first as a float): a quarter of
 * the floats' size, and cosine similarity moves by less than 0.01. Every vector is kept as it reads back from these
 * bytes, so that the replica that embedded a metric and the replicas that took its vector rank alike.
 */
public final class VectorBytes {

    private VectorBytes() {
    }

    public static byte[] encode(float[] vector) {
        float max = 0;
        for (float x : vector) {
            max = Math.max(max, Math.abs(x));
        }
        ByteBuffer out = ByteBuffer.allocate(4 + vector.length).order(ByteOrder.LITTLE_ENDIAN);
        out.putFloat(max);
        for (float x : vector) {
            out.put(max == 0 ? 0 : (byte) Math.round(x / max * 127));
        }
        return out.array();
    }

    public static float[] decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float max = in.getFloat();
        float[] vector = new float[bytes.length - 4];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = in.get() * max / 127;
        }
        return vector;
    }

    /** {@code vector} as it reads back from its bytes. */
    public static float[] roundTrip(float[] vector) {
        return decode(encode(vector));
    }
}
