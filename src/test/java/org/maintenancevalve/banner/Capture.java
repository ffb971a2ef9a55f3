package org.maintenancevalve.banner;

import org.apache.catalina.connector.Response;
import org.maintenancevalve.response.BodyCapture;

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
final class Capture {

    final Response response = mock(Response.class);
    final org.apache.coyote.Response coyote = new org.apache.coyote.Response();
    final Map<String, String> headers = new HashMap<>();
    final BodyCapture body;
    int status;
    int contentLength = -1;

    Capture() throws IOException {
        when(response.getCoyoteResponse()).thenReturn(coyote);
        body = BodyCapture.of(response);
        doAnswer(i -> status = i.getArgument(0)).when(response).setStatus(anyInt());
        doAnswer(i -> contentLength = i.getArgument(0)).when(response).setContentLength(anyInt());
        doAnswer(i -> headers.put(i.getArgument(0), i.getArgument(1))).when(response)
                .setHeader(anyString(), anyString());
    }

    String text() {
        return body.toString();
    }
}
