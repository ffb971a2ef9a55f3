package org.maintenancevalve.files;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.maintenancevalve.it.LinkSwapper;
import org.maintenancevalve.it.Victim;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The writer itself under attack, without root's rule: in this JVM, as root but told it is not
 * (so it writes into the racer's directory, as a user other than root writes into a directory
 * others can change), 200 writes of each policy while {@link LinkSwapper} (uid 65534, owner of
 * the directory) swaps a link to a root-only victim in under every new name. The victim never
 * changes; a write that loses a race fails cleanly (or, lost after its last check, moves the
 * racer's own link under the target name, in the racer's own directory). Then a copy of the writer this project had
 * before faces the same racer and does change the victim: proof that the racer wins races of
 * that shape on this machine, so the first half means something. Needs root and setpriv.
 */
class AtomicFileWriterRaceIT {

    private static final int WRITES = 200;

    @Test
    void theWriterNeverChangesAnotherFileEvenInTheRacersDirectory() throws Exception {
        boolean root = ProcessUser.effectiveUid() == 0;
        boolean setpriv = Files.isExecutable(Paths.get("/usr/bin/setpriv"));
        if (!root || !setpriv) {
            String reason = "AtomicFileWriterRaceIT skipped: it needs root (CI runs as root) and /usr/bin/setpriv; root="
                    + root + ", setpriv=" + setpriv;
            System.out.println(reason);
            Assumptions.assumeTrue(false, reason);
        }
        Victim victim = Victim.create();
        Path dir = Files.createDirectories(Paths.get(System.getProperty("it.work.dir", "target/it")).toAbsolutePath()
                .resolve("writer-race-" + ProcessHandle.current().pid()).resolve("racer"));
        Path kept = Files.write(dir.resolve("server.xml"), "<Server/>".getBytes(StandardCharsets.UTF_8));
        Path flag = dir.resolve("maintenance.flag");
        PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        view.setOwner(dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("65534"));
        view.setGroup(dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName("65534"));

        AtomicFileWriter notRoot = new AtomicFileWriter(0, false, AtomicFileWriter.RANDOM_NAMES, AtomicFileWriter.NO_PAUSE);
        int[] written = new int[2];
        int[] lost = new int[2];
        long swaps;
        String oldWriterHit = null;
        int oldWriterTries = 0;
        try (LinkSwapper.Running racer = LinkSwapper.start(victim.path(), dir)) {
            for (int i = 0; i < WRITES; i++) {
                for (AtomicFileWriter.Policy policy : AtomicFileWriter.Policy.values()) {
                    byte[] content = ("{\"message\":\"write " + i + "\"}\n").getBytes(StandardCharsets.UTF_8);
                    try {
                        notRoot.replace(policy == AtomicFileWriter.Policy.PRIVATE_FILE ? flag : kept, content, policy);
                        written[policy.ordinal()]++;
                    } catch (IOException e) {
                        lost[policy.ordinal()]++;
                        if (e.getMessage().endsWith("is a symbolic link; it is not replaced")) {
                            // An earlier write lost the race after its last check: its move put the
                            // racer's link under the name (their directory, their link). Put the file back.
                            assertTrue(policy == AtomicFileWriter.Policy.KEEP_REPLACED && Files.isSymbolicLink(kept), e.toString());
                            Files.delete(kept);
                            Files.write(kept, "<Server/>".getBytes(StandardCharsets.UTF_8));
                        } else {
                            assertTrue(e.getMessage().contains("was replaced by someone else"), e.toString());
                        }
                    }
                }
            }
            victim.assertUnchanged("while the writer wrote " + 2 * WRITES + " times in the racer's directory");

            // The same racer against the writer this project had before (FlagFileWriter, run as root).
            while (oldWriterHit == null && oldWriterTries < 200) {
                oldWriterTries++;
                try {
                    oldFlagFileWriter(flag, "{}".getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // lost a race the other way: try again
                }
                oldWriterHit = victim.change();
            }
            swaps = racer.stop();
        } finally {
            victim.restore();
            victim.delete();
        }
        System.out.println("writer race: PRIVATE_FILE " + written[0] + " written, " + lost[0] + " lost a race; KEEP_REPLACED "
                + written[1] + " written, " + lost[1] + " lost; the racer swapped " + swaps + " names; the old writer changed "
                + "the victim after " + oldWriterTries + " tries: " + oldWriterHit);
        assertTrue(written[0] > 0 && written[1] > 0, "some writes went through: the racer did not just block everything");
        assertTrue(swaps > 0, "the racer swapped names");
        assertNotNull(oldWriterHit, "the old writer survived " + oldWriterTries + " tries: the racer is too slow to prove anything");
    }

    /** FlagFileWriter.write(flag, content, ownerOfDirectory=true) as it was before this change (the bytes instead of JSON). */
    private static void oldFlagFileWriter(Path flagFile, byte[] bytes) throws IOException {
        Path target = flagFile.toAbsolutePath();
        Path directory = target.getParent();
        Path temp = Files.createTempFile(directory, "." + target.getFileName() + ".", ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.WRITE)) {
                out.write(bytes);
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            PosixFileAttributes owner = Files.getFileAttributeView(directory, PosixFileAttributeView.class).readAttributes();
            PosixFileAttributeView to = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
            PosixFileAttributes current = to.readAttributes();
            if (!current.owner().equals(owner.owner())) {
                to.setOwner(owner.owner());
            }
            if (!current.group().equals(owner.group())) {
                to.setGroup(owner.group());
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
