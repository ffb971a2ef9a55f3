package org.maintenancevalve.response;

import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.maintenancevalve.files.FileStamp;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * The admin's template files: the main one ({@code conf/maintenance.html}) and one per language
 * beside it ({@code conf/maintenance.de.html}). {@link #refresh()} looks at their attributes and
 * reads again only what changed (and everything every {@value #REREAD_EVERY_LOOKS} looks, for
 * file systems whose times are coarse); it is called when the maintenance state changes and on
 * the flag watcher's polls while maintenance is on, never on a request.
 * <p>
 * Reading is bounded ({@value #MAX_BYTES} bytes) and strict UTF-8; a template with a placeholder
 * where escaping cannot make it safe ({@link PlaceholderSafety}) is not used. A main template that is missing,
 * and any template that cannot be used, is logged once as a WARN (and once as an INFO when it is
 * usable again); a missing language template is normal and not logged.
 */
public final class TemplateReloader {

    /** The largest template read, in bytes. */
    public static final int MAX_BYTES = TemplateFile.MAX_BYTES;
    /** Read the files again this often even when their attributes look unchanged. */
    static final int REREAD_EVERY_LOOKS = 30;

    private static final Log log = LogFactory.getLog(TemplateReloader.class);

    /** Index 0: the main template; 1 + n: the template of language n. */
    private final Path[] paths;
    private final FileStamp[] stamps;
    private final String[] texts;
    private final String[] reported;
    private TemplateSet current = TemplateSet.NONE;
    private int looksSinceRead;
    private boolean looked;

    /** @param main the main template, absolute; the language ones are found beside it */
    public TemplateReloader(Path main) {
        int n = PageLanguage.count();
        paths = new Path[n + 1];
        paths[0] = Objects.requireNonNull(main, "main");
        for (int i = 0; i < n; i++) {
            paths[i + 1] = languagePath(main, PageLanguage.code(i));
        }
        stamps = new FileStamp[n + 1];
        texts = new String[n + 1];
        reported = new String[n + 1];
    }

    /** The main template's path. */
    public Path main() {
        return paths[0];
    }

    /** {@code maintenance.html} gives {@code maintenance.de.html} for {@code de}. */
    public static Path languagePath(Path main, String code) {
        String name = main.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String languageName = dot > 0 ? name.substring(0, dot) + "." + code + name.substring(dot)
                : name + "." + code;
        return main.resolveSibling(languageName);
    }

    /**
     * Looks at the files, reads what changed, logs new problems.
     *
     * @return the templates now in force: the same object as last time when nothing changed
     */
    public synchronized TemplateSet refresh() {
        boolean reread = !looked || ++looksSinceRead >= REREAD_EVERY_LOOKS;
        if (reread) {
            looksSinceRead = 0;
        }
        looked = true;
        boolean changed = false;
        for (int k = 0; k < paths.length; k++) {
            String before = texts[k];
            String problem = look(k, reread);
            report(k, problem);
            changed |= !Objects.equals(before, texts[k]);
        }
        if (changed) {
            String[] byLanguage = new String[PageLanguage.count()];
            System.arraycopy(texts, 1, byLanguage, 0, byLanguage.length);
            current = new TemplateSet(texts[0], byLanguage);
        }
        return current;
    }

    /** Updates {@code texts[k]}; returns the file's problem, or null. */
    private String look(int k, boolean reread) {
        Path path = paths[k];
        FileStamp stamp;
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            String problem = problemOf(attributes);
            if (problem != null) {
                return forget(k, problem);
            }
            stamp = FileStamp.of(attributes);
        } catch (NoSuchFileException e) {
            return forget(k, k == 0 ? "does not exist" : null);
        } catch (IOException | RuntimeException e) {
            return forget(k, "cannot be examined: " + reason(e));
        }
        if (!reread && stamp.equals(stamps[k])) {
            return reported[k];
        }
        String text;
        try {
            text = read(path);
        } catch (NoSuchFileException e) {
            return forget(k, k == 0 ? "does not exist" : null);
        } catch (IOException | RuntimeException e) {
            return forget(k, reason(e));
        }
        FileStamp after;
        try {
            after = FileStamp.of(path);
        } catch (IOException | RuntimeException e) {
            after = null;
        }
        if (!stamp.equals(after)) {
            // Changed while it was read: keep what was in force and read it again next time.
            stamps[k] = null;
            return reported[k];
        }
        stamps[k] = stamp;
        texts[k] = text;
        return null;
    }

    /** Why a file with these attributes is no template, or {@code null}. */
    private static String problemOf(BasicFileAttributes attributes) {
        if (attributes.isDirectory()) {
            return "is a directory, not a file";
        }
        if (!attributes.isRegularFile()) {
            return "is not a regular file";
        }
        if (attributes.size() > MAX_BYTES) {
            return "is larger than " + MAX_BYTES / 1024 + " KiB";
        }
        return null;
    }

    /** Drops what file {@code k} said (it is unusable or gone); returns {@code problem}. */
    private String forget(int k, String problem) {
        stamps[k] = null;
        texts[k] = null;
        return problem;
    }

    private static String read(Path path) throws IOException {
        return TemplateFile.read(path);
    }

    private static String reason(Exception e) {
        if (e instanceof AccessDeniedException) {
            return "cannot be read: permission denied";
        }
        if (e instanceof FileSystemException) {
            String reason = ((FileSystemException) e).getReason();
            return "cannot be read" + (reason == null ? "" : ": " + reason);
        }
        if (e instanceof IOException && e.getMessage() != null
                && (e.getMessage().startsWith("is ") || e.getMessage().startsWith("has "))) {
            return e.getMessage();
        }
        return "cannot be read: " + e;
    }

    /** One WARN per distinct problem of a file, one INFO when it is gone. */
    private void report(int k, String problem) {
        if (Objects.equals(problem, reported[k])) {
            return;
        }
        if (problem != null) {
            log.warn("Maintenance page template " + paths[k] + " " + problem + "; serving "
                    + (k == 0 ? "the built-in page" : "the main template or the built-in page for language "
                            + PageLanguage.code(k - 1)) + " instead");
        } else {
            log.info("Maintenance page template " + paths[k] + " is in use");
        }
        reported[k] = problem;
    }
}
