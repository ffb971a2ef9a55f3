package org.maintenancevalve.response;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PageLanguageTest {

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "NULL                                         | en",
        "''                                           | en",
        "de                                           | de",
        "DE                                           | de",
        "de-CH                                        | de",
        "de_AT                                        | de",
        "pt-BR                                        | pt",
        "pt-BR, pt;q=0.9, en;q=0.8                    | pt",
        "ja-JP,ja;q=0.9                               | ja",
        "fr-CA;q=0.8, es;q=0.9                        | es",
        "de;q=0.9, en;q=0.8                           | de",
        "en;q=0.8, de;q=0.9                           | de",
        "en-US,en;q=0.9,de;q=0.8                      | en",
        "zh-CN, zh;q=0.9                              | en",
        "zh-CN, ja;q=0.5                              | ja",
        "*                                            | en",
        "zh, *;q=0.5                                  | en",
        "de;q=0,  *                                   | en",
        "en;q=0, *                                    | de",
        "en;q=0, de;q=0                               | en",
        "fr;q=0                                       | en",
        "fr;q=0.000, es;q=0.001                       | es",
        "es;q=0.5, fr;q=0.5                           | es",
        "fr;q=0.5, es;q=0.5                           | fr",
        "'  fr ; q=0.7 , es ; q = 0.6 '               | fr",
        "es;level=1;q=0.9, fr;q=0.8                   | es",
        "fr;q=1.5, es;q=0.2                           | es",
        "fr;q=abc, es;q=0.2                           | es",
        "fr;q=0.12345, es;q=0.2                       | es",
        "ja;Q=0.9, en;q=0.1                           | ja",
        "',,, ;q=0.3, pt'                             | pt",
        "x-klingon, tlh, i-default                    | en",
        "tlh, de;q=0.5                                | de",
        "fr;q=1, es;q=0.9                             | fr",
        "fr;q=1.000, es;q=0.999                       | fr",
        "fr;q=, es;q=0.5                              | es",
        "es;q=0.5, fr;q=                              | es",
        "de;q=0.1, de-AT;q=0.8, fr;q=0.5              | de",
        "fr;q=0.5, de;q=0.1, de-AT;q=0.8              | de",
        // q=0 on a language refuses it, whatever its regions say; on a region it refuses only that.
        "de;q=0, de-CH;q=0.5                          | en",
        "de-CH;q=0.5, de;q=0                          | en",
        "de-CH;q=0, de;q=0.5                          | de",
        "fr-CA;q=0                                    | en",
        // A malformed quality makes the range count for nothing: it neither chooses nor refuses.
        "en;q=abc, *;q=0.5                            | en",
        "en;q=0.12345, *;q=0.5                        | en",
        "en;q=0.x, *;q=0.5                            | en",
        "en;q=2, *;q=0.5                              | en",
    })
    void choosesByQualityWithEnglishAsFallback(String header, String expected) {
        assertEquals(expected, PageLanguage.code(PageLanguage.choose(header)));
    }

    @Test
    void aHugeHeaderIsReadOnlyAsFarAsTheRangeLimit() {
        StringBuilder header = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            header.append("zz-").append(i).append(";q=0.9, ");
        }
        header.append("de");
        assertEquals("en", PageLanguage.code(PageLanguage.choose(header.toString())));
        assertEquals("de", PageLanguage.code(PageLanguage.choose("zz, zz, de")));
        StringBuilder atTheLimit = new StringBuilder();
        for (int i = 1; i < PageLanguage.MAX_RANGES; i++) {
            atTheLimit.append("zz, ");
        }
        assertEquals("de", PageLanguage.code(PageLanguage.choose(atTheLimit + "de")));
        assertEquals("en", PageLanguage.code(PageLanguage.choose(atTheLimit + "zz, de")));
    }

    @Test
    void everyLanguageHasACodeAndTexts() {
        assertEquals(6, PageLanguage.count());
        for (String code : new String[] {"en", "de", "fr", "es", "ja", "pt"}) {
            int language = PageLanguage.indexOf(code);
            assertEquals(code, PageLanguage.code(language));
            assertEquals(code, PageSentences.of(language).code());
        }
        assertEquals(-1, PageLanguage.indexOf("xx"));
        assertEquals(-1, PageLanguage.indexOf(null));
    }
}
