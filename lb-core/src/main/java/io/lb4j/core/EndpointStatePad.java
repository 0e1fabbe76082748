package io.lb4j.core;

/**
 * A cache line of padding in front of {@link EndpointStateHot}'s fields (see there). The int
 * fills the gap after a compressed object header, where HotSpot would otherwise put a subclass
 * field.
 */
@SuppressWarnings("unused")
abstract class EndpointStatePad {
    int p00;
    long p01;
    long p02;
    long p03;
    long p04;
    long p05;
    long p06;
    long p07;
}
