package org.maintenancevalve.response;

import org.apache.catalina.connector.Response;

import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.mockito.Mockito.when;

/** The bytes a mocked Catalina {@link Response} is given through its output stream. */
public final class BodyCapture extends ServletOutputStream {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private int flushed;

    /** Makes {@code response.getOutputStream()} return a new capture. */
    public static BodyCapture of(Response response) throws IOException {
        BodyCapture capture = new BodyCapture();
        when(response.getOutputStream()).thenReturn(capture);
        return capture;
    }

    @Override
    public void write(int b) {
        bytes.write(b);
    }

    @Override
    public void flush() {
        flushed = bytes.size();
    }

    /** How many bytes had been written at the last flush. */
    public int flushedSize() {
        return flushed;
    }

    @Override
    public boolean isReady() {
        return true;
    }

    @Override
    public void setWriteListener(WriteListener listener) {
        throw new UnsupportedOperationException();
    }

    /** How many bytes were written. */
    public int size() {
        return bytes.size();
    }

    /** What was written. */
    public byte[] toByteArray() {
        return bytes.toByteArray();
    }

    /** What was written, decoded as UTF-8. */
    @Override
    public String toString() {
        return new String(bytes.toByteArray(), StandardCharsets.UTF_8);
    }
}
