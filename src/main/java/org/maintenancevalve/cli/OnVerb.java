package org.maintenancevalve.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.maintenancevalve.access.AddressRule;
import org.maintenancevalve.access.BypassSecret;
import org.maintenancevalve.files.PrivateDirectory;
import org.maintenancevalve.files.UnsafeDirectoryException;
import org.maintenancevalve.state.FlagFileWriter;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** {@code on}: writes the flag file (atomically), so every valve watching it holds users out. */
public final class OnVerb extends AbstractVerb {

    static final String USAGE = ""
            + "Usage: java -jar maintenance-valve.jar on [options] (--flag FILE | --catalina-base DIR)\n"
            + "\n"
            + "Turns maintenance on by writing the flag file atomically (a temporary file in the same\n"
            + "directory, then a move), readable by its owner and group only. Run it again with other\n"
            + "options to change them: the file is replaced whole, users never get in between.\n"
            + "Run it as the user Tomcat runs as. Run as root, it writes only into a directory that\n"
            + "only root can change (the file gets the directory's group).\n"
            + "\n"
            + "  --message TEXT     the message users see (plain text)\n"
            + "  --for DURATION     expected length, e.g. 90m, 2h, 1h30m (sets the expected end)\n"
            + "  --until TIME       expected end: 2026-11-25T03:00Z, 2026-11-25T04:00+01:00, or 2h from now\n"
            + "  --from TIME        start later: users are held out from then on (scheduled until then)\n"
            + "  --auto-end         end maintenance by itself at the expected end (default: stay on)\n"
            + "  --read-only        reads (GET, HEAD, OPTIONS) pass for everyone, changes are refused\n"
            + "  --allow ADDR,...   addresses or CIDR blocks let in for this window (repeatable)\n"
            + "  --bypass           make a new secret bypass link and print it (a bypass secret already\n"
            + "                     in the flag file is kept when this is not given)\n"
            + "  --flag FILE        the flag file\n"
            + "  --catalina-base DIR  use the flagFile of the MaintenanceValve in DIR/conf/server.xml\n"
            + "                     (without either: $MAINTENANCE_FLAG)\n"
            + "\n"
            + "Times without an offset are this machine's local time. Exit codes: 0 done, 1 refused, 2 bad usage.\n";

    private final Map<String, String> env;
    private final Clock clock;

    public OnVerb(Map<String, String> env, Clock clock) {
        super("on", "turn maintenance on (or change it) by writing the flag file", USAGE,
                FlagLocation.options(Args.spec()
                        .values("--message", "--for", "--until", "--from")
                        .repeatable("--allow")
                        .switches("--read-only", "--bypass", "--auto-end")));
        this.env = env;
        this.clock = clock;
    }

    @Override
    protected int execute(Args args, PrintStream out, PrintStream err) throws UsageException, Refused {
        args.noPositional();
        Path flag = FlagLocation.resolve(args, env);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant from = args.given("--from") ? Times.instant("--from", args.value("--from"), clock) : null;
        if (args.given("--for") && args.given("--until")) {
            throw new UsageException("give --for or --until, not both");
        }
        Instant until = null;
        if (args.given("--for")) {
            until = (from != null ? from : now).plus(Times.duration("--for", args.value("--for")));
        } else if (args.given("--until")) {
            until = Times.instant("--until", args.value("--until"), clock);
        }
        if (until != null && !until.isAfter(now)) {
            throw new UsageException("the expected end " + until + " is not in the future");
        }
        if (from != null && until != null && !from.isBefore(until)) {
            throw new UsageException("--from " + from + " is not before the expected end " + until);
        }
        if (args.has("--auto-end") && until == null) {
            throw new UsageException("--auto-end needs an end: give --for or --until");
        }
        List<String> allow = new ArrayList<>();
        for (String list : args.all("--allow")) {
            allow.addAll(org.maintenancevalve.access.AccessConfig.split(list));
        }
        try {
            AddressRule.of(allow);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--allow: " + e.getMessage());
        }

        ObjectNode existing = FlagFileWriter.readForEdit(flag);
        ObjectNode content = existing.objectNode();
        content.put("mode", args.has("--read-only") ? "read-only" : "full");
        if (args.given("--message") && !args.value("--message").trim().isEmpty()) {
            content.put("message", args.value("--message"));
        }
        if (from != null) {
            content.put("from", from.toString());
        }
        if (until != null) {
            content.put("until", until.toString());
        }
        if (args.has("--auto-end")) {
            content.put("autoEnd", true);
        }
        if (!allow.isEmpty()) {
            ArrayNode addresses = content.putArray("allow");
            for (String address : allow) {
                addresses.add(address);
            }
        }
        String secret;
        boolean newSecret = args.has("--bypass");
        if (newSecret) {
            secret = newSecret();
        } else {
            secret = existing.path("bypassSecret").isTextual() ? existing.get("bypassSecret").textValue() : null;
        }
        if (secret != null) {
            content.put("bypassSecret", secret);
        }
        content.put("by", whoAmI());

        Path directory = flag.getParent();
        if (directory == null || !Files.isDirectory(directory)) {
            throw new Refused("the directory of " + flag + " does not exist");
        }
        try {
            PrivateDirectory.requireWhenRoot(flag);
            FlagFileWriter.write(flag, content);
        } catch (UnsafeDirectoryException e) {
            throw new Refused(e.problem() + " " + e.advice("java -jar maintenance-valve.jar on ..."), e);
        } catch (IOException e) {
            throw new Refused(e.getMessage());
        }

        String mode = args.has("--read-only") ? "read-only" : "full";
        if (from != null && from.isAfter(now)) {
            out.println("Maintenance (" + mode + ") is scheduled from " + from + ".");
        } else {
            out.println("Maintenance is on (" + mode + ").");
        }
        out.println("  flag file:    " + flag);
        if (until != null) {
            out.println("  expected end: " + until + (args.has("--auto-end") ? " (ends by itself then)" : ""));
        }
        if (!allow.isEmpty()) {
            out.println("  also allowed: " + String.join(", ", allow));
        }
        if (secret != null) {
            out.println("  bypass link:  /?maintenance-bypass=" + secret
                    + (newSecret ? "" : "   (the secret already in the flag file)"));
            out.println("                open it once in your browser: you get a cookie valid 12 h");
        }
        out.println("Every valve watching this file applies it within its pollInterval (default 1 s).");
        return ExitCode.OK;
    }

    /** 24 random bytes, URL-safe: 32 characters, well above {@link BypassSecret#MIN_LENGTH}. */
    static String newSecret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** {@code user@host}, without asking DNS. */
    private String whoAmI() {
        String user = System.getProperty("user.name", "unknown");
        String host = env.get("HOSTNAME");
        if (host == null || host.trim().isEmpty()) {
            try {
                host = new String(Files.readAllBytes(Paths.get("/etc/hostname")), StandardCharsets.UTF_8).trim();
            } catch (IOException | RuntimeException e) {
                host = "";
            }
        }
        return host.isEmpty() ? user : user + "@" + host.trim();
    }
}
