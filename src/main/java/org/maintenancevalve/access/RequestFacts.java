package org.maintenancevalve.access;

/**
 * What the rules may look at in a request. The valve adapts Tomcat's request to this, so the
 * rules can be tested without Tomcat; every method is read only when a rule needs it.
 */
public interface RequestFacts {

    /** The HTTP method, as sent. */
    String method();

    /** The decoded, normalised path relative to the context (always starts with {@code /}). */
    String path();
}
