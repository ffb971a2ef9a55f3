package org.maintenancevalve.response;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maintenancevalve.harness.LogRecords;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TemplateReloaderTest {

    private static final int DE = PageLanguage.indexOf("de");
    private static final int FR = PageLanguage.indexOf("fr");

    @TempDir
    Path dir;
    private Path main;
    private TemplateReloader files;
    private LogRecords log;
    private List<LogRecord> records;

    @BeforeEach
    void setUp() {
        main = dir.resolve("maintenance.html");
        files = new TemplateReloader(main);
        log = LogRecords.of(TemplateReloader.class.getName());
        records = log.list();
    }

    @AfterEach
    void tearDown() {
        log.close();
    }

    private List<String> warnings() {
        List<String> out = new ArrayList<>();
        for (LogRecord r : records) {
            if (r.getLevel() == Level.WARNING) {
                out.add(r.getMessage());
            }
        }
        return out;
    }

    private void write(Path path, String text) throws IOException {
        Files.write(path, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void languageFilesSitBesideTheMainOne() {
        assertEquals(dir.resolve("maintenance.de.html"), TemplateReloader.languagePath(main, "de"));
        assertEquals(dir.resolve("page.v2.pt.htm"), TemplateReloader.languagePath(dir.resolve("page.v2.htm"), "pt"));
        assertEquals(dir.resolve("page.ja"), TemplateReloader.languagePath(dir.resolve("page"), "ja"));
        assertEquals(dir.resolve(".page.fr"), TemplateReloader.languagePath(dir.resolve(".page"), "fr"));
    }

    @Test
    void languageTemplatesWithoutAMainOneAreUsed() throws IOException {
        write(TemplateReloader.languagePath(main, "de"), "<p>deutsch</p>");
        TemplateSet templates = files.refresh();
        assertFalse(templates.isEmpty());
        assertNull(templates.main());
        assertEquals("<p>deutsch</p>", templates.forLanguage(DE));
        assertEquals(1, warnings().size(), "the missing main template: " + warnings());
    }

    @Test
    void aTemplateOfExactlyTheLargestSizeIsUsed() throws IOException {
        byte[] largest = new byte[TemplateReloader.MAX_BYTES];
        Arrays.fill(largest, (byte) 'a');
        Files.write(main, largest);
        assertEquals(TemplateReloader.MAX_BYTES, files.refresh().main().length());
        assertEquals(List.of(), warnings());
    }

    @Test
    void anUnusableLanguageTemplateSaysWhatIsServedInstead() throws IOException {
        write(main, "<p>main</p>");
        Path fr = TemplateReloader.languagePath(main, "fr");
        write(fr, "<a href=\"{{message}}\">x</a>");
        TemplateSet templates = files.refresh();
        assertEquals("<p>main</p>", templates.main());
        assertNull(templates.forLanguage(FR));
        assertEquals(List.of("Maintenance page template " + fr + " has a placeholder where escaping cannot make it safe"
                + " (line 1: {{message}} in the href attribute of <a>);"
                + " serving the main template or the built-in page for language fr instead"), warnings());
    }

    @Test
    void aMissingMainTemplateIsOneWarningAndNoTemplate() {
        TemplateSet first = files.refresh();
        assertTrue(first.isEmpty());
        assertSame(first, files.refresh());
        assertSame(first, files.refresh());
        List<String> warnings = warnings();
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains(main.toString()) && warnings.get(0).contains("does not exist"),
                warnings.get(0));
    }

    @Test
    void readsTheMainAndLanguageTemplatesAndPicksUpChanges() throws IOException {
        write(main, "\uFEFF<p>main {{message}}</p>");
        write(TemplateReloader.languagePath(main, "de"), "<p>deutsch</p>");
        TemplateSet first = files.refresh();
        assertEquals("<p>main {{message}}</p>", first.main(), "a UTF-8 BOM is dropped");
        assertEquals("<p>deutsch</p>", first.forLanguage(DE));
        assertNull(first.forLanguage(FR));
        assertSame(first, files.refresh(), "nothing changed: the same object");

        write(main, "<p>changed, and longer</p>");
        TemplateSet second = files.refresh();
        assertNotSame(first, second);
        assertEquals("<p>changed, and longer</p>", second.main());

        Path de = TemplateReloader.languagePath(main, "de");
        write(de, "<p>DEUTSCH</p>");
        Files.setLastModifiedTime(de, FileTime.fromMillis(Files.getLastModifiedTime(de).toMillis() + 5000));
        assertEquals("<p>DEUTSCH</p>", files.refresh().forLanguage(DE), "same size, new time");

        Files.delete(de);
        assertNull(files.refresh().forLanguage(DE));
        assertEquals(List.of(), warnings(), "a missing language template is normal");
    }

    @Test
    void unusableTemplatesAreWarnedOnceAndFixedOnesAnnounced() throws IOException {
        Files.write(main, new byte[] {'<', 'p', '>', (byte) 0xC3, (byte) 0x28});
        assertNull(files.refresh().main());
        assertNull(files.refresh().main());
        byte[] big = new byte[TemplateReloader.MAX_BYTES + 1];
        Arrays.fill(big, (byte) 'a');
        Path fr = TemplateReloader.languagePath(main, "fr");
        Files.write(fr, big);
        Files.createDirectory(TemplateReloader.languagePath(main, "ja"));
        TemplateSet templates = files.refresh();
        files.refresh();
        assertNull(templates.forLanguage(FR));
        List<String> warnings = warnings();
        assertEquals(3, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("not valid UTF-8"), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("larger than 256 KiB")), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("is a directory")), warnings.toString());

        write(main, "<p>fine</p>");
        assertEquals("<p>fine</p>", files.refresh().main());
        assertTrue(records.stream().anyMatch(r -> r.getLevel() == Level.INFO && r.getMessage().contains("is in use")));
    }

    @Test
    void everyFewLooksTheContentIsReadAgainEvenWithUnchangedAttributes() throws IOException {
        write(main, "<p>one</p>");
        FileTime time = Files.getLastModifiedTime(main);
        assertEquals("<p>one</p>", files.refresh().main());
        write(main, "<p>two</p>");
        Files.setLastModifiedTime(main, time);
        String seen = null;
        for (int i = 0; i < TemplateReloader.REREAD_EVERY_LOOKS; i++) {
            seen = files.refresh().main();
        }
        assertEquals("<p>two</p>", seen);
    }

    @Test
    void aTemplateWithAPlaceholderInAUrlIsRefusedNamingFileAndLine() throws IOException {
        write(main, "<!doctype html>\n<p>{{message}}</p>\n<a href=\"/status?m={{message}}\">status</a>\n");
        TemplateSet templates = files.refresh();
        assertNull(templates.main(), "the built-in page is served");
        assertEquals(1, warnings().size(), warnings().toString());
        String warning = warnings().get(0);
        assertTrue(warning.contains(main.toString()) && warning.contains("line 3: {{message}} in the href attribute of <a>")
                && warning.contains("built-in page"), warning);

        write(main, "<!doctype html>\n<p>{{message}}</p>\n<a href=\"/status\">status</a>\n");
        assertTrue(files.refresh().main().contains("/status"), "used once it is fixed");
    }
}
