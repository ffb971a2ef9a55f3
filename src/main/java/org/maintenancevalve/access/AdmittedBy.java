package org.maintenancevalve.access;

/**
 * The ways through during maintenance, as {@link AccessPolicy#admit} answers and JMX counts them
 * ({@code admittedByAddress}, {@code admittedByPort}, ...).
 */
public enum AdmittedBy {
    /** The client address is allowed (and no forwarding header casts doubt on it). */
    ADDRESS,
    /** The request came in on an admin connector port. */
    PORT,
    /** The request carries a valid bypass cookie. */
    BYPASS,
    /** The session belongs to an admin user. */
    USER,
    /** The path is allowed (login, static resources, health check), and its raw form agrees. */
    PATH,
    /** A reading request (GET, HEAD, OPTIONS, or a named read) in read-only mode. */
    READ_ONLY
}
