package org.maintenancevalve.cli;

import org.maintenancevalve.command.Refused;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Tomcat JVMs on this machine that the tools trust ({@link AttachTrust}), found with the JDK's
 * attach API and asked to start their local JMX agent. The attach API is used by reflection: on
 * Java 8 it lives in tools.jar, and a JRE has none.
 */
final class LocalTomcats {

    /** A local Tomcat: its pid and JMX address, or why it was not asked. */
    static final class Found {
        final String pid;
        final String address;
        final String skipped;

        private Found(String pid, String address, String skipped) {
            this.pid = pid;
            this.address = address;
            this.skipped = skipped;
        }

        String target() {
            return "local Tomcat pid " + pid;
        }
    }

    private LocalTomcats() {
    }

    /**
     * @param flag the flag file (its owner decides whom to trust)
     * @throws Refused when this Java cannot look for local JVMs at all
     */
    static List<Found> find(Path flag, Map<String, String> env) throws Refused {
        Class<?> vmClass;
        Class<?> descriptorClass;
        try {
            vmClass = Class.forName("com.sun.tools.attach.VirtualMachine");
            descriptorClass = Class.forName("com.sun.tools.attach.VirtualMachineDescriptor");
        } catch (ClassNotFoundException e) {
            throw new Refused("this Java has no attach API (a JRE, or Java 8 without tools.jar), so it cannot find"
                    + " the local Tomcat: give --jmx HOST:PORT");
        }
        String flagOwner = ownerOf(flag);
        String catalinaPid = catalinaPid(env);
        String me = System.getProperty("user.name", "");
        String self = selfPid();
        List<Found> found = new ArrayList<>();
        try {
            Method list = vmClass.getMethod("list");
            Method displayName = descriptorClass.getMethod("displayName");
            Method id = descriptorClass.getMethod("id");
            Method attach = vmClass.getMethod("attach", descriptorClass);
            Method startAgent = vmClass.getMethod("startLocalManagementAgent");
            Method detach = vmClass.getMethod("detach");
            for (Object descriptor : (List<?>) list.invoke(null)) {
                String pid = String.valueOf(id.invoke(descriptor));
                if (pid.equals(self)
                        || !String.valueOf(displayName.invoke(descriptor)).contains("org.apache.catalina.startup.Bootstrap")) {
                    continue;
                }
                String distrust = AttachTrust.distrust(pid, processOwner(pid), flagOwner, catalinaPid, me);
                if (distrust != null) {
                    found.add(new Found(pid, null, distrust));
                    continue;
                }
                try {
                    Object vm = attach.invoke(null, descriptor);
                    try {
                        found.add(new Found(pid, String.valueOf(startAgent.invoke(vm)), null));
                    } finally {
                        detach.invoke(vm);
                    }
                } catch (InvocationTargetException e) {
                    found.add(new Found(pid, null, "does not allow attaching: " + e.getCause()));
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new Refused("cannot list local Java processes: " + e + ": give --jmx HOST:PORT");
        }
        return found;
    }

    /** The owner of the flag file, or of its directory when there is no file; {@code null} if neither can be told. */
    static String ownerOf(Path flag) {
        String owner = owner(flag);
        Path directory = flag.toAbsolutePath().getParent();
        return owner != null || directory == null ? owner : owner(directory);
    }

    private static String owner(Path path) {
        try {
            return Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).getName();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    /** The user a process runs as, from /proc; {@code null} where there is none. */
    private static String processOwner(String pid) {
        return owner(Paths.get("/proc", pid));
    }

    /** The pid in the file {@code $CATALINA_PID} names, or {@code null}. */
    private static String catalinaPid(Map<String, String> env) {
        String file = env.get("CATALINA_PID");
        if (file == null || file.trim().isEmpty()) {
            return null;
        }
        try {
            byte[] bytes = Files.readAllBytes(Paths.get(file.trim()));
            String pid = new String(bytes, StandardCharsets.US_ASCII).trim();
            return pid.matches("\\d{1,10}") ? pid : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String selfPid() {
        String name = ManagementFactory.getRuntimeMXBean().getName();
        int at = name.indexOf('@');
        return at > 0 ? name.substring(0, at) : name;
    }
}
