package org.maintenancevalve.response;

import org.maintenancevalve.state.FlagFileLook;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A template file's text as the valve takes it: at most {@value #MAX_BYTES} bytes of strict UTF-8,
 * a byte order mark dropped, no placeholder where escaping cannot make it safe ({@link PlaceholderSafety}). Tomcat-free, so that the installer and {@code check} judge a
 * template exactly as the valve will.
 */
public final class TemplateFile {

    /** The largest template read, in bytes. */
    public static final int MAX_BYTES = 256 * 1024;

    private TemplateFile() {
    }

    /**
     * Why the valve could not use this file as its template ("does not exist", "is not valid
     * UTF-8", "has a placeholder where ...", "cannot be read: permission denied"), or
     * {@code null} when it can. For the installer and {@code check}, which read as their own user.
     */
    public static String unusable(Path path) {
        if (!Files.exists(path)) {
            return "does not exist";
        }
        if (!Files.isRegularFile(path)) {
            return "is not a regular file";
        }
        try {
            read(path);
            return null;
        } catch (AccessDeniedException e) {
            return "cannot be read: permission denied";
        } catch (IOException e) {
            String message = e.getMessage();
            if (message != null && (message.startsWith("is ") || message.startsWith("has "))) {
                return message;
            }
            return "cannot be read (" + (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null
                    ? ((FileSystemException) e).getReason() : String.valueOf(message)) + ")";
        }
    }

    /**
     * @throws IOException when it cannot be read, or with a message starting with "is " or "has "
     *                     when it is too large, not UTF-8 or has an unsafe placeholder
     */
    public static String read(Path path) throws IOException {
        byte[] bytes = FlagFileLook.readBounded(path, MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
            throw new IOException("is larger than " + MAX_BYTES / 1024 + " KiB");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IOException("is not valid UTF-8");
        }
        text = text.startsWith("\uFEFF") ? text.substring(1) : text;
        String unsafe = PlaceholderSafety.unsafePlaceholder(text);
        if (unsafe != null) {
            throw new IOException("has a placeholder where escaping cannot make it safe (" + unsafe + ")");
        }
        return text;
    }
}
