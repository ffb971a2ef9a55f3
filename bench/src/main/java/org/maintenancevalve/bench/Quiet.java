package org.maintenancevalve.bench;

import java.util.logging.Level;
import java.util.logging.Logger;

/** Keeps the valve's INFO lines (start, state changes) out of the benchmark output. */
final class Quiet {
    private static final Logger ROOT = Logger.getLogger("");

    private Quiet() {
    }

    static void logging() {
        ROOT.setLevel(Level.WARNING);
    }
}
