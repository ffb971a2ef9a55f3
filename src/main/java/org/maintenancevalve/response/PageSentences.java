package org.maintenancevalve.response;

import org.maintenancevalve.state.Mode;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The fixed sentences of the maintenance page in each {@link PageLanguage}. The admin's own
 * message is never translated: it is shown as written.
 */
public final class PageSentences {

    private static final PageSentences[] TEXTS = {
        new PageSentences("en", Locale.ENGLISH, "EEEE d MMMM yyyy, HH:mm 'UTC'",
                "Down for maintenance",
                "Read-only during maintenance",
                DefaultMessages.defaultMessage(Mode.FULL),
                DefaultMessages.defaultMessage(Mode.READ_ONLY),
                "You can browse, changes are paused.",
                "What you just sent was not saved: please try again when the maintenance is over.",
                "Go back",
                "Expected back",
                "Started",
                "in about {0}",
                "Taking a little longer than planned",
                "This page checks by itself and takes you back as soon as the site is available again."),
        new PageSentences("de", Locale.GERMAN, "EEEE, d. MMMM yyyy, HH:mm 'UTC'",
                "Wartungsarbeiten",
                "Nur lesender Zugriff während der Wartung",
                "Diese Seite ist wegen geplanter Wartungsarbeiten nicht erreichbar. Bitte versuchen Sie es"
                        + " später noch einmal.",
                "Diese Seite ist während der Wartung nur lesbar: Sie können alles ansehen, Änderungen sind aber"
                        + " pausiert.",
                "Sie können weiter lesen, Änderungen sind pausiert.",
                "Was Sie gerade gesendet haben, wurde nicht gespeichert: Bitte versuchen Sie es nach der"
                        + " Wartung erneut.",
                "Zurück",
                "Voraussichtlich zurück",
                "Begonnen",
                "in etwa {0}",
                "Dauert etwas länger als geplant",
                "Diese Seite prüft selbst, ob wieder alles läuft, und bringt Sie dann automatisch zurück."),
        new PageSentences("fr", Locale.FRENCH, "EEEE d MMMM yyyy, HH:mm 'UTC'",
                "Maintenance en cours",
                "Lecture seule pendant la maintenance",
                "Ce site est en maintenance planifiée. Merci de réessayer plus tard.",
                "Ce site est en lecture seule pendant la maintenance : vous pouvez le consulter, mais les"
                        + " modifications sont suspendues.",
                "Vous pouvez consulter le site, les modifications sont suspendues.",
                "Ce que vous venez d’envoyer n’a pas été enregistré : réessayez après la maintenance.",
                "Retour",
                "Retour prévu",
                "Début",
                "dans environ {0}",
                "Cela prend un peu plus de temps que prévu",
                "Cette page vérifie d’elle-même et vous ramène dès que le site est de nouveau disponible."),
        new PageSentences("es", new Locale("es"), "EEEE, d 'de' MMMM 'de' yyyy, HH:mm 'UTC'",
                "En mantenimiento",
                "Solo lectura durante el mantenimiento",
                "Este sitio está en mantenimiento programado. Vuelva a intentarlo más tarde.",
                "Este sitio está en modo de solo lectura durante el mantenimiento: puede navegar, pero los"
                        + " cambios están en pausa.",
                "Puede navegar, los cambios están en pausa.",
                "Lo que acaba de enviar no se ha guardado: vuelva a intentarlo cuando termine el"
                        + " mantenimiento.",
                "Volver",
                "Vuelta prevista",
                "Inicio",
                "en aproximadamente {0}",
                "Está tardando un poco más de lo previsto",
                "Esta página comprueba por sí sola y le lleva de vuelta en cuanto el sitio vuelva a estar"
                        + " disponible."),
        new PageSentences("ja", Locale.JAPANESE, "yyyy年M月d日(EEE) HH:mm 'UTC'",
                "メンテナンス中です",
                "メンテナンス中は閲覧のみ可能です",
                "このサイトは計画メンテナンスのため停止しています。しばらくしてから再度お試しください。",
                "メンテナンス中は閲覧のみ可能です。ページは表示できますが、変更は一時停止しています。",
                "閲覧はできますが、変更は一時停止しています。",
                "送信した内容は保存されていません。メンテナンス終了後にもう一度お試しください。",
                "戻る",
                "再開予定",
                "開始",
                "約{0}後",
                "予定より少し時間がかかっています",
                "このページは自動的に確認を続け、サイトが再開するとすぐに元のページに戻ります。"),
        new PageSentences("pt", new Locale("pt"), "EEEE, d 'de' MMMM 'de' yyyy, HH:mm 'UTC'",
                "Em manutenção",
                "Somente leitura durante a manutenção",
                "Este site está em manutenção programada. Tente novamente mais tarde.",
                "Este site está em modo somente leitura durante a manutenção: você pode navegar, mas as"
                        + " alterações estão pausadas.",
                "Você pode navegar, as alterações estão pausadas.",
                "O que você acabou de enviar não foi salvo: tente novamente quando a manutenção terminar.",
                "Voltar",
                "Retorno previsto",
                "Início",
                "em cerca de {0}",
                "Está demorando um pouco mais do que o previsto",
                "Esta página verifica sozinha e leva você de volta assim que o site estiver disponível"
                        + " novamente."),
    };

    static {
        for (int i = 0; i < TEXTS.length; i++) {
            if (!TEXTS[i].code.equals(PageLanguage.code(i))) {
                throw new ExceptionInInitializerError("PageSentences out of order at " + i);
            }
        }
        if (TEXTS.length != PageLanguage.count()) {
            throw new ExceptionInInitializerError("PageSentences: one text set per language is needed");
        }
    }

    final String code;
    private final DateTimeFormatter utc;
    final String titleFull;
    final String titleReadOnly;
    final String defaultFull;
    final String defaultReadOnly;
    /** Read-only mode: "you can browse, changes are paused". */
    final String readOnlyNotice;
    /** Read-only mode: what the blocked change means for the visitor. */
    final String notSaved;
    final String goBack;
    final String expectedBack;
    final String started;
    /** "in about {0}", {0} being a duration the browser words ("40 minutes"). */
    final String about;
    /** Shown instead of {@link #about} once the announced end has passed. */
    final String late;
    /** The line that says the page comes back by itself. */
    final String autoReturn;

    private PageSentences(String code, Locale locale, String utcPattern, String titleFull, String titleReadOnly,
            String defaultFull, String defaultReadOnly, String readOnlyNotice, String notSaved, String goBack,
            String expectedBack, String started, String about, String late, String autoReturn) {
        this.code = code;
        this.utc = DateTimeFormatter.ofPattern(utcPattern, locale).withZone(ZoneOffset.UTC);
        this.titleFull = titleFull;
        this.titleReadOnly = titleReadOnly;
        this.defaultFull = defaultFull;
        this.defaultReadOnly = defaultReadOnly;
        this.readOnlyNotice = readOnlyNotice;
        this.notSaved = notSaved;
        this.goBack = goBack;
        this.expectedBack = expectedBack;
        this.started = started;
        this.about = about;
        this.late = late;
        this.autoReturn = autoReturn;
    }

    /** The texts of language number {@code language} (see {@link PageLanguage}). */
    public static PageSentences of(int language) {
        return TEXTS[language];
    }

    /** The ISO 639-1 code. */
    public String code() {
        return code;
    }

    /** The page's heading for that mode. */
    public String title(Mode mode) {
        return mode == Mode.READ_ONLY ? titleReadOnly : titleFull;
    }

    /** The message shown when the admin gave none. */
    public String defaultMessage(Mode mode) {
        return mode == Mode.READ_ONLY ? defaultReadOnly : defaultFull;
    }

    /** The admin's message as written (line breaks normalised), or this language's default. */
    public String message(Mode mode, String adminMessage) {
        return adminMessage != null ? FlagText.normalize(adminMessage) : defaultMessage(mode);
    }

    /**
     * The read-only notice: that the visitor's change was not saved, preceded by "you can browse,
     * changes are paused" unless the message already says so (the default read-only message does).
     */
    public String readOnlyNotice(boolean messageSaysItAlready) {
        if (messageSaysItAlready) {
            return notSaved;
        }
        return readOnlyNotice + ("ja".equals(code) ? "" : " ") + notSaved;
    }

    /** An instant in UTC, as people of this language write it ("Tuesday 24 November 2026, 12:30 UTC"). */
    public String utc(Instant instant) {
        return instant == null ? "" : utc.format(instant);
    }
}
