package io.lb4j.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A round-robin position per stripe of threads, stepped without a locked instruction: a thread
 * reads its stripe's position and writes it back one higher (opaque accesses, plain moves on
 * x86 and ARM). Envoy goes further and keeps one position per worker thread; a shared
 * {@code AtomicInteger} (gRPC's round_robin) costs a locked add per pick and, with two threads
 * or more, a cache line that every pick moves between cores.
 *
 * <p>What the relaxation costs: two threads of one stripe that step it at the same moment read
 * the same position and go to the same endpoint; a thread preempted between its read and its
 * write sets the stripe back, and the positions since are walked again. Either way what repeats
 * is a run of consecutive positions, which covers a list evenly, and a repeat is as likely to
 * start at any position, so shares stay even over time. Each stripe walks the list in order, so
 * a single thread sees an exact rotation.
 *
 * <p>The first thread to step the sequence walks from {@code start} (so a test that builds a
 * balancer on one thread and picks on another still sees the first endpoint it scripted); the
 * other stripes start 2^32 / golden ratio apart (an odd step: modulo any list size, powers of
 * two included, they are spread, not in step), so that threads starting together do not all go
 * to the same endpoint. The stripes are fields 128 bytes apart (two cache lines: the
 * adjacent-line prefetcher pairs lines), in a class hierarchy because the JVM lays out a
 * superclass's fields before its subclass's (it may reorder the fields of one class), away from
 * the object header and from neighbouring objects.
 */
public final class StripedSequence extends SequenceCells.Pad4 {
    /** How many stripes: a thread steps stripe {@code (its id ^ the first stepping thread's id) & (STRIPES - 1)}. */
    public static final int STRIPES = 4;
    static final int STAGGER = 0x9E3779B9;
    private static final VarHandle CELL0 = handle(SequenceCells.Cell0.class, "cell0", int.class);
    private static final VarHandle CELL1 = handle(SequenceCells.Cell1.class, "cell1", int.class);
    private static final VarHandle CELL2 = handle(SequenceCells.Cell2.class, "cell2", int.class);
    private static final VarHandle CELL3 = handle(SequenceCells.Cell3.class, "cell3", int.class);
    private static final VarHandle FIRST = handle(StripedSequence.class, "first", long.class);
    private static final long UNSET = -1; // thread ids are positive

    // after the last cell's padding, so on no line a step writes. The id of the first thread that
    // stepped: written once (compare-and-set), then only read, by every step
    private long first = UNSET;
    private final int start;

    /**
     * A sequence whose first stepping thread walks from {@code start}.
     *
     * @param start the first position handed out
     */
    public StripedSequence(int start) {
        this.start = start;
        cell0 = start;
        cell1 = start + STAGGER;
        cell2 = start + 2 * STAGGER;
        cell3 = start + 3 * STAGGER;
    }

    private static VarHandle handle(Class<?> owner, String name, Class<?> type) {
        try {
            return MethodHandles.lookup().findVarHandle(owner, name, type);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The calling thread's next position; it may be negative once the int range wraps.
     *
     * @return the position, which the caller reduces modulo its list size
     */
    @SuppressWarnings("deprecation") // Thread.threadId() is Java 19+
    public int next() {
        long id = Thread.currentThread().getId();
        long base = (long) FIRST.getOpaque(this);
        if (base == UNSET) {
            long witness = (long) FIRST.compareAndExchange(this, UNSET, id);
            base = witness == UNSET ? id : witness;
        }
        int position;
        switch ((int) (id ^ base) & (STRIPES - 1)) {
            case 0 -> CELL0.setOpaque(this, (position = (int) CELL0.getOpaque(this)) + 1);
            case 1 -> CELL1.setOpaque(this, (position = (int) CELL1.getOpaque(this)) + 1);
            case 2 -> CELL2.setOpaque(this, (position = (int) CELL2.getOpaque(this)) + 1);
            default -> CELL3.setOpaque(this, (position = (int) CELL3.getOpaque(this)) + 1);
        }
        return position;
    }

    /**
     * The steps taken in all stripes since creation, each stripe's modulo 2^32 (exact once the
     * threads that step it are done; a step lost to a race is not counted).
     *
     * @return the steps taken
     */
    public long steps() {
        return Integer.toUnsignedLong((int) CELL0.getOpaque(this) - start)
                + Integer.toUnsignedLong((int) CELL1.getOpaque(this) - (start + STAGGER))
                + Integer.toUnsignedLong((int) CELL2.getOpaque(this) - (start + 2 * STAGGER))
                + Integer.toUnsignedLong((int) CELL3.getOpaque(this) - (start + 3 * STAGGER));
    }
}
