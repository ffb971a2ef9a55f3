package org.maintenancevalve.response;

import java.util.Arrays;

/**
 * The admin's page templates as read at one moment: the main one and one per language, each
 * {@code null} when there is none that can be used. Immutable; {@link TemplateReloader} hands out a
 * new one only when a file changed.
 */
public final class TemplateSet {

    /** No template: the built-in page in every language. */
    public static final TemplateSet NONE = new TemplateSet(null, new String[PageLanguage.count()]);

    private final String main;
    private final String[] byLanguage;

    TemplateSet(String main, String[] byLanguage) {
        if (byLanguage.length != PageLanguage.count()) {
            throw new IllegalArgumentException("one entry per language is needed");
        }
        this.main = main;
        this.byLanguage = byLanguage.clone();
    }

    /** The main template's text, or {@code null}. */
    public String main() {
        return main;
    }

    /** The template for language number {@code language}, or {@code null}. */
    public String forLanguage(int language) {
        return byLanguage[language];
    }

    /** Whether no template at all can be used. */
    public boolean isEmpty() {
        if (main != null) {
            return false;
        }
        for (String template : byLanguage) {
            if (template != null) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "TemplateSet{main=" + (main != null) + ", byLanguage=" + Arrays.toString(
                Arrays.stream(byLanguage).map(t -> t != null).toArray()) + "}";
    }
}
