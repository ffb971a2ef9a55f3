package org.maintenancevalve.bench;

import org.openjdk.jol.vm.VM;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The heap an object owns: every object reachable from it through instance fields, each counted
 * once with its real size in this JVM (JOL), stopping at objects that belong to someone else
 * (Tomcat's containers and JMX server, threads, class loaders, the file system, enum constants).
 * Reads fields with Unsafe, so no module needs opening.
 */
final class OwnedHeap {

    private static final sun.misc.Unsafe UNSAFE = unsafe();

    private final Predicate<Object> foreign;
    private final Map<Object, Boolean> seen = new IdentityHashMap<>();

    OwnedHeap(Predicate<Object> foreign) {
        this.foreign = foreign;
    }

    /** Bytes newly reached from {@code root} (objects already counted by this walker are not counted again). */
    long add(Object root) {
        long total = 0;
        ArrayDeque<Object> todo = new ArrayDeque<>();
        push(todo, root);
        while (!todo.isEmpty()) {
            Object o = todo.pop();
            total += VM.current().sizeOf(o);
            Class<?> type = o.getClass();
            if (type.isArray()) {
                if (!type.getComponentType().isPrimitive()) {
                    for (int i = 0, n = Array.getLength(o); i < n; i++) {
                        push(todo, Array.get(o, i));
                    }
                }
                continue;
            }
            for (Field f : instanceReferenceFields(type)) {
                push(todo, read(o, f));
            }
        }
        return total;
    }

    /** Counts {@code o} itself only; its fields are walked by {@link #addFields(Object)}. */
    long addShallow(Object o) {
        if (seen.containsKey(o)) {
            return 0;
        }
        seen.put(o, Boolean.TRUE);
        return VM.current().sizeOf(o);
    }

    /** Bytes newly reached through the fields of {@code o} (itself not counted). */
    long addFields(Object o) {
        long total = 0;
        for (Field f : instanceReferenceFields(o.getClass())) {
            Object value = read(o, f);
            if (value != null && !seen.containsKey(value) && !foreign.test(value)) {
                total += add(value);
            }
        }
        return total;
    }

    /** Total of everything counted so far. */
    long total() {
        long total = 0;
        for (Object o : seen.keySet()) {
            total += VM.current().sizeOf(o);
        }
        return total;
    }

    /** Objects counted so far. */
    int objects() {
        return seen.size();
    }

    private void push(ArrayDeque<Object> todo, Object o) {
        if (o == null || seen.containsKey(o) || foreign.test(o)) {
            return;
        }
        seen.put(o, Boolean.TRUE);
        todo.push(o);
    }

    private static final Map<Class<?>, List<Field>> FIELDS = new IdentityHashMap<>();

    private static List<Field> instanceReferenceFields(Class<?> type) {
        List<Field> fields = FIELDS.get(type);
        if (fields == null) {
            fields = new ArrayList<>();
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (!Modifier.isStatic(f.getModifiers()) && !f.getType().isPrimitive()) {
                        fields.add(f);
                    }
                }
            }
            FIELDS.put(type, fields);
        }
        return fields;
    }

    private static Object read(Object o, Field f) {
        if (f.getDeclaringClass().isHidden()) {
            // A lambda: Unsafe gives no offsets for hidden classes, plain reflection may read them.
            try {
                f.setAccessible(true);
                return f.get(o);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
        return UNSAFE.getObject(o, UNSAFE.objectFieldOffset(f));
    }

    /** The value of a (private) field of {@code o}. */
    static Object field(Object o, String name) {
        for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                return UNSAFE.getObject(o, UNSAFE.objectFieldOffset(f));
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        throw new IllegalArgumentException(o.getClass() + " has no field " + name);
    }

    /** The names of the instance reference fields {@code type} declares itself. */
    static List<String> ownFieldNames(Class<?> type) {
        List<String> names = new ArrayList<>();
        for (Field f : type.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers()) && !f.getType().isPrimitive()) {
                names.add(f.getName());
            }
        }
        return names;
    }

    private static sun.misc.Unsafe unsafe() {
        try {
            Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return (sun.misc.Unsafe) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
