package org.maintenancevalve.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The recipes of docs/containers.md, read from the page itself, so that the tests run what an
 * admin copies: each is the fenced block after a {@code <!-- recipe: NAME -->} line.
 */
public final class ContainerRecipes {

    /** The page, relative to the project (the tests run in the project directory). */
    public static final Path PAGE = Paths.get("docs", "containers.md");

    /** The marker, then a fenced block at the marker's indentation (inside a list item, say). */
    private static final Pattern RECIPE = Pattern.compile("( *)<!-- recipe: ([a-z0-9-]+) -->\\n\\1```[a-z]*\\n(.*?)\\n\\1```\\n",
            Pattern.DOTALL);

    private ContainerRecipes() {
    }

    /** The text of one recipe block; fails when the page has none or several of that name. */
    public static String block(String name) {
        String page;
        try {
            page = new String(Files.readAllBytes(PAGE), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + PAGE.toAbsolutePath(), e);
        }
        String found = null;
        Matcher m = RECIPE.matcher(page);
        while (m.find()) {
            if (m.group(2).equals(name)) {
                if (found != null) {
                    throw new AssertionError(PAGE + " has two recipes named " + name);
                }
                found = m.group(3).replaceAll("(?m)^" + m.group(1), "");
            }
        }
        if (found == null) {
            throw new AssertionError(PAGE + " has no recipe named " + name
                    + " (a fenced block right after <!-- recipe: " + name + " -->)");
        }
        return found;
    }

    /**
     * The arguments a Dockerfile recipe gives {@code install/install.sh}: its shell command from
     * {@code install.sh} to the end of that command ({@code ;}, {@code &&}, a redirection, a
     * pipe or the end of the line), with line continuations joined.
     */
    public static List<String> installArguments(String dockerfile) {
        String joined = dockerfile.replace("\\\n", " ");
        int at = joined.indexOf("/install/install.sh ");
        if (at < 0) {
            throw new AssertionError("no install/install.sh in the recipe:\n" + dockerfile);
        }
        String rest = joined.substring(at + "/install/install.sh ".length());
        int end = rest.length();
        for (String stop : new String[] {";", "&&", "\n", ">", "|"}) {
            int i = rest.indexOf(stop);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        List<String> arguments = new ArrayList<>(Arrays.asList(rest.substring(0, end).trim().split("\\s+")));
        for (String argument : arguments) {
            if (argument.contains("$") || argument.contains("'") || argument.contains("\"")) {
                throw new AssertionError("install.sh arguments the test cannot take as written: " + arguments);
            }
        }
        return arguments;
    }

    /** The value of {@code --flag} among install arguments. */
    public static String flagArgument(List<String> arguments) {
        int i = arguments.indexOf("--flag");
        if (i < 0 || i + 1 >= arguments.size()) {
            throw new AssertionError("no --flag FILE in " + arguments);
        }
        return arguments.get(i + 1);
    }
}
