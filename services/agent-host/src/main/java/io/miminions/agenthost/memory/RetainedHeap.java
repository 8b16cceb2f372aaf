package io.miminions.agenthost.memory;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.RandomAccess;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Estimates how much heap an object graph holds: the objects reachable from a root, each counted
 * once, sized for HotSpot's 64-bit layout with compressed references (12-byte object headers,
 * 16-byte array headers, 4-byte references, 8-byte alignment).
 *
 * <p>Objects whose fields this code may read (classes outside the JDK's named modules, such as an
 * agent's own) are walked field by field. The JDK does not open its internals, so its collections
 * and maps are walked through their public API, with an estimate of their per-entry overhead; strings,
 * string builders, heap byte buffers, {@code Optional} and {@code AtomicReference} are sized from
 * what they tell; any other JDK object counts its own fields only. Types the caller names as shared
 * (classes, class loaders, threads, loggers, the host's context) are not counted, nor is anything
 * reachable only through them, nor static fields.
 *
 * <p>The walk stops once the count passes the given bound, so measuring costs at most about that
 * many bytes' worth of objects. It runs beside the code that owns the graph: an object changed
 * meanwhile is counted as the walk finds it, and a collection that fails its iteration counts the
 * entries read until then.
 */
public final class RetainedHeap {

    static final int OBJECT_HEADER = 12;
    static final int ARRAY_HEADER = 16;
    static final int REFERENCE = 4;
    static final int ALIGNMENT = 8;
    /** A hashed or tree entry (node object plus its share of the table) of a JDK map or set. */
    static final int HASHED_ENTRY = 40;
    /** A node of a linked list. */
    static final int LINKED_ENTRY = 24;

    private static final ClassValue<Layout> LAYOUTS = new ClassValue<>() {
        @Override
        protected Layout computeValue(Class<?> type) {
            return Layout.of(type);
        }
    };

    private final Predicate<Class<?>> shared;

    /** @param shared the types whose instances are not counted nor walked through */
    public RetainedHeap(Predicate<Class<?>> shared) {
        this.shared = shared;
    }

    /**
     * The bytes held by the objects reachable from {@code root}; once the count passes
     * {@code stopAbove} the walk stops and returns what it has counted (then more than the bound).
     */
    public long measure(Object root, long stopAbove) {
        Walk walk = new Walk(stopAbove);
        walk.push(root);
        while (!walk.pending.isEmpty() && !walk.overBound()) {
            Object object = walk.pending.pop();
            if (walk.seen.add(object) && !shared.test(object.getClass())) {
                walk.visit(object);
            }
        }
        return walk.total;
    }

    /** One measurement: what has been counted, what is still to visit. */
    private static final class Walk {
        final long stopAbove;
        final Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        final Deque<Object> pending = new ArrayDeque<>();
        long total;

        Walk(long stopAbove) {
            this.stopAbove = stopAbove;
        }

        boolean overBound() {
            return total > stopAbove;
        }

        void push(Object value) {
            if (value != null) {
                pending.push(value);
            }
        }

        /** Counts the object's own size, then queues what it refers to unless the bound is passed already. */
        void visit(Object object) {
            Class<?> type = object.getClass();
            if (type.isArray()) {
                visitArray(object);
            } else if (object instanceof String string) {
                total += align(OBJECT_HEADER + 2L * REFERENCE) + align(ARRAY_HEADER + (long) string.length() * coder(string));
            } else {
                Layout layout = LAYOUTS.get(type);
                total += layout.shallowSize;
                if (!overBound()) {
                    layout.references.forEach(field -> push(read(field, object)));
                    if (layout.opaque) {
                        visitOpaque(object);
                    }
                }
            }
        }

        private void visitArray(Object array) {
            Class<?> component = array.getClass().getComponentType();
            int length = Array.getLength(array);
            if (component.isPrimitive()) {
                total += align(ARRAY_HEADER + (long) length * Layout.sizeOf(component));
                return;
            }
            total += align(ARRAY_HEADER + (long) length * REFERENCE);
            if (!overBound()) {
                for (Object element : (Object[]) array) {
                    push(element);
                }
            }
        }

        /** What a JDK object holds beyond its own fields, read through its public API. */
        private void visitOpaque(Object object) {
            try {
                if (object instanceof Collection<?> collection) {
                    int entrySize = entrySize(collection);
                    total += ARRAY_HEADER;
                    for (Iterator<?> elements = collection.iterator(); elements.hasNext() && !overBound(); ) {
                        total += entrySize;
                        push(elements.next());
                    }
                } else if (object instanceof Map<?, ?> map) {
                    total += ARRAY_HEADER;
                    for (Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
                            entries.hasNext() && !overBound(); ) {
                        Map.Entry<?, ?> entry = entries.next();
                        total += HASHED_ENTRY;
                        push(entry.getKey());
                        push(entry.getValue());
                    }
                } else if (object instanceof Map.Entry<?, ?> entry) {
                    push(entry.getKey());
                    push(entry.getValue());
                } else if (object instanceof StringBuilder builder) {
                    total += align(ARRAY_HEADER + (long) builder.capacity());
                } else if (object instanceof StringBuffer buffer) {
                    total += align(ARRAY_HEADER + (long) buffer.capacity());
                } else if (object instanceof ByteBuffer buffer && buffer.hasArray()) {
                    push(buffer.array());
                } else if (object instanceof Optional<?> optional) {
                    push(optional.orElse(null));
                } else if (object instanceof AtomicReference<?> reference) {
                    push(reference.get());
                }
            } catch (RuntimeException concurrentlyModified) {
                // counted as far as it could be read
            }
        }
    }

    private static int entrySize(Collection<?> collection) {
        if (collection instanceof Set<?>) {
            return HASHED_ENTRY;
        }
        return collection instanceof LinkedList<?> || !(collection instanceof RandomAccess || collection instanceof Deque<?>)
                ? LINKED_ENTRY : REFERENCE;
    }

    private static Object read(Field field, Object object) {
        try {
            return field.get(object);
        } catch (IllegalAccessException e) {
            return null;
        }
    }

    /** 1 for a string whose characters all fit in Latin-1 (stored a byte each), else 2. */
    private static int coder(String string) {
        for (int i = 0; i < string.length(); i++) {
            if (string.charAt(i) > 0xFF) {
                return 2;
            }
        }
        return 1;
    }

    static long align(long bytes) {
        return (bytes + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /**
     * One class's instance size and the reference fields this code may read; {@code opaque} when
     * some field could not be made readable (a JDK class).
     */
    private record Layout(long shallowSize, List<Field> references, boolean opaque) {

        static Layout of(Class<?> type) {
            long fields = 0;
            List<Field> references = new ArrayList<>();
            boolean opaque = false;
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    if (Modifier.isStatic(field.getModifiers())) {
                        continue;
                    }
                    fields += sizeOf(field.getType());
                    if (!field.getType().isPrimitive()) {
                        if (field.trySetAccessible()) {
                            references.add(field);
                        } else {
                            opaque = true;
                        }
                    }
                }
            }
            return new Layout(align(OBJECT_HEADER + fields), List.copyOf(references), opaque);
        }

        static int sizeOf(Class<?> type) {
            if (type == long.class || type == double.class) {
                return 8;
            }
            if (type == int.class || type == float.class) {
                return 4;
            }
            if (type == short.class || type == char.class) {
                return 2;
            }
            if (type == byte.class || type == boolean.class) {
                return 1;
            }
            return REFERENCE;
        }
    }
}
