package org.maintenancevalve.banner;

import org.apache.catalina.connector.Response;

import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * A mocked Catalina {@link Response} over Tomcat's real coyote response, recording what an answer
 * sets: status, headers, content length, and the bytes written to its output stream.
 */
final class Capture extends ServletOutputStream {

    final Response response = mock(Response.class);
    final org.apache.coyote.Response coyote = new org.apache.coyote.Response();
    final Map<String, String> headers = new HashMap<>();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    int status;
    int contentLength = -1;

    Capture() throws IOException {
        when(response.getCoyoteResponse()).thenReturn(coyote);
        when(response.getOutputStream()).thenReturn(this);
        doAnswer(i -> status = i.getArgument(0)).when(response).setStatus(anyInt());
        doAnswer(i -> contentLength = i.getArgument(0)).when(response).setContentLength(anyInt());
        doAnswer(i -> headers.put(i.getArgument(0), i.getArgument(1))).when(response)
                .setHeader(anyString(), anyString());
    }

    @Override
    public void write(int b) {
        body.write(b);
    }

    @Override
    public boolean isReady() {
        return true;
    }

    @Override
    public void setWriteListener(WriteListener listener) {
        throw new UnsupportedOperationException();
    }

    String text() {
        return new String(body.toByteArray(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
