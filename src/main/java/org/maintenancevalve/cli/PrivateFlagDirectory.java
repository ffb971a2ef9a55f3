package org.maintenancevalve.cli;

import org.maintenancevalve.command.Refused;
import org.maintenancevalve.files.IoErrors;
import org.maintenancevalve.files.PrivateDirectory;
import org.maintenancevalve.files.UnsafeDirectoryException;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Run as root, {@code on}, {@code off} and {@code run} change the flag file only in a directory
 * that only root can change ({@link PrivateDirectory}), the rule the writer itself keeps. They
 * check it first, before the flag file is read or a valve is asked, so that a refusal changes
 * nothing and names the command to run instead.
 */
final class PrivateFlagDirectory {

    private PrivateFlagDirectory() {
    }

    /**
     * @param verb   the command, for the way out ({@code sudo -u jira java -jar ... on ...})
     * @param remove whether the command removes the flag file rather than writing it
     */
    static void requireWhenRoot(Path flag, String verb, boolean remove) throws Refused {
        try {
            if (remove) {
                PrivateDirectory.requireWhenRootToRemove(flag);
            } else {
                PrivateDirectory.requireWhenRoot(flag);
            }
        } catch (UnsafeDirectoryException e) {
            throw new Refused(e.problem() + " " + e.advice("java -jar maintenance-valve.jar " + verb + " ..."), e);
        } catch (NoSuchFileException e) {
            // No directory: nothing there to change; the command says so in its own words.
        } catch (IOException e) {
            throw new Refused("cannot look at the directory of " + flag + " (" + IoErrors.describe(e) + ")", e);
        }
    }
}
