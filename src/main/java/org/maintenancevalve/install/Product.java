package org.maintenancevalve.install;

import org.maintenancevalve.command.Refused;

import java.nio.file.Files;
import java.util.Locale;

/** What runs in the Tomcat, told apart by its webapp directory, and the preset that suits it. */
enum Product {
    JIRA("Jira", "atlassian-jira", "jira"),
    CONFLUENCE("Confluence", "confluence", "confluence"),
    TOMCAT("plain Tomcat (no atlassian-jira/ or confluence/ webapp)", null, "none");

    final String displayName;
    /** The webapp directory beside bin/, conf/ and lib/ that gives the product away. */
    final String webappDir;
    /** The preset install picks for it. */
    final String preset;

    Product(String displayName, String webappDir, String preset) {
        this.displayName = displayName;
        this.webappDir = webappDir;
        this.preset = preset;
    }

    /**
     * Jira if {@code atlassian-jira/} is in the home or the base, Confluence if {@code confluence/}
     * is, else plain Tomcat.
     *
     * @throws Refused when both are there
     */
    static Product detect(TomcatLayout layout) throws Refused {
        boolean jira = hasDir(layout, JIRA.webappDir);
        boolean confluence = hasDir(layout, CONFLUENCE.webappDir);
        if (jira && confluence) {
            throw new Refused("found both atlassian-jira/ and confluence/ in " + layout.base
                    + ": say which with --preset jira or --preset confluence");
        }
        return jira ? JIRA : confluence ? CONFLUENCE : TOMCAT;
    }

    private static boolean hasDir(TomcatLayout layout, String name) {
        return Files.isDirectory(layout.base.resolve(name))
                || (layout.home != null && Files.isDirectory(layout.home.resolve(name)));
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
