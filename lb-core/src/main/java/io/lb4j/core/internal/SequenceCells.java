package io.lb4j.core.internal;

/**
 * The cells of {@link StripedSequence}, each 128 bytes from the next, from the object header and
 * from the fields after it: a superclass's fields come first in the JVM's layout.
 */
final class SequenceCells {

    private SequenceCells() {
    }

    abstract static class Pad0 {
        long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
    }

    abstract static class Cell0 extends Pad0 {
        int cell0;
    }

    abstract static class Pad1 extends Cell0 {
        long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
    }

    abstract static class Cell1 extends Pad1 {
        int cell1;
    }

    abstract static class Pad2 extends Cell1 {
        long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
    }

    abstract static class Cell2 extends Pad2 {
        int cell2;
    }

    abstract static class Pad3 extends Cell2 {
        long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
    }

    abstract static class Cell3 extends Pad3 {
        int cell3;
    }

    abstract static class Pad4 extends Cell3 {
        long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
    }
}
