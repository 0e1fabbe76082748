package io.lb4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The pick path's method sizes, which decide what HotSpot's C2 inlines and so whether a
 * {@link Selection} that does not escape its caller is allocated at all: {@code pick} must stay
 * small enough to inline, and {@code chooseApart} (the pick of a strategy that reads load or
 * latency, or of a balancer with a limit) too big to inline into it, or that picker compiled into
 * {@code pick} makes {@code pick} too big to inline (JMH saw 40 B per call for least-connections).
 * Read from the class file, in bytes of bytecode, against C2's defaults on x86-64.
 */
class DefaultBalancerShapeTest {

    /** C2's {@code FreqInlineSize}: a hot callee with more bytecode than this is never inlined. */
    private static final int FREQ_INLINE_SIZE = 325;

    @Test
    void chooseApartIsTooBigToInlineAndThePickAroundItIsNot() throws IOException {
        Map<String, Integer> sizes = codeSizes(DefaultBalancer.class);

        assertThat(sizes.get("chooseApart(Lio/lb4j/core/Snapshot;ILio/lb4j/core/PickContext;J)Lio/lb4j/core/EndpointState;"))
                .as("chooseApart's bytecode must exceed FreqInlineSize so that C2 compiles it apart")
                .isGreaterThan(FREQ_INLINE_SIZE);
        assertThat(sizes.get("pick(Lio/lb4j/core/PickContext;)Lio/lb4j/core/Selection;"))
                .as("pick must stay inlinable into its caller").isLessThanOrEqualTo(FREQ_INLINE_SIZE / 2);
        assertThat(sizes.get("choose(Lio/lb4j/core/Snapshot;ILio/lb4j/core/PickContext;J)Lio/lb4j/core/EndpointState;"))
                .as("choose inlines into pick").isLessThanOrEqualTo(FREQ_INLINE_SIZE / 2);
    }

    @Test
    void theReaderFindsEveryMethodWithCode() throws IOException {
        Map<String, Integer> sizes = codeSizes(DefaultBalancer.class);

        assertThat(sizes).containsKey("pick()Lio/lb4j/core/Selection;");
        assertThat(sizes.values()).allMatch(size -> size > 0);
    }

    /** Each method's name and descriptor, with the length of its Code attribute's bytecode. */
    static Map<String, Integer> codeSizes(Class<?> type) throws IOException {
        try (InputStream raw = type.getResourceAsStream(type.getSimpleName() + ".class");
             DataInputStream in = new DataInputStream(raw)) {
            if (in.readInt() != 0xCAFEBABE) {
                throw new IOException(type + ": not a class file");
            }
            in.readUnsignedShort(); // minor
            in.readUnsignedShort(); // major
            int count = in.readUnsignedShort();
            String[] utf8 = new String[count];
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> utf8[i] = in.readUTF();
                    case 7, 8, 16, 19, 20 -> in.skipNBytes(2);
                    case 15 -> in.skipNBytes(3);
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
                    case 5, 6 -> {
                        in.skipNBytes(8);
                        i++; // a long or double takes two entries
                    }
                    default -> throw new IOException(type + ": constant pool tag " + tag + " at " + i + " is unknown");
                }
            }
            in.skipNBytes(6); // access, this, super
            in.skipNBytes(2L * in.readUnsignedShort()); // interfaces
            skipMembers(in);
            Map<String, Integer> sizes = new HashMap<>();
            int methods = in.readUnsignedShort();
            for (int m = 0; m < methods; m++) {
                in.skipNBytes(2);
                String name = utf8[in.readUnsignedShort()] + utf8[in.readUnsignedShort()];
                int attributes = in.readUnsignedShort();
                for (int a = 0; a < attributes; a++) {
                    String attribute = utf8[in.readUnsignedShort()];
                    int length = in.readInt();
                    if (attribute.equals("Code")) {
                        in.skipNBytes(4); // max stack, max locals
                        int code = in.readInt();
                        sizes.put(name, code);
                        in.skipNBytes(length - 8L);
                    } else {
                        in.skipNBytes(length);
                    }
                }
            }
            return sizes;
        }
    }

    private static void skipMembers(DataInputStream in) throws IOException {
        int members = in.readUnsignedShort();
        for (int m = 0; m < members; m++) {
            in.skipNBytes(6);
            int attributes = in.readUnsignedShort();
            for (int a = 0; a < attributes; a++) {
                in.skipNBytes(2);
                in.skipNBytes(in.readInt());
            }
        }
    }
}
