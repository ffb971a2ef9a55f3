package org.maintenancevalve.access;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.maintenancevalve.state.Mode;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AccessPolicyTest {

    private static RequestFacts request(String method) {
        return new RequestFacts() {
            @Override
            public String method() {
                return method;
            }

            @Override
            public String path() {
                return "/secure/Dashboard.jspa";
            }
        };
    }

    @ParameterizedTest
    @CsvSource({
        "FULL, GET, false", "FULL, HEAD, false", "FULL, POST, false",
        "READ_ONLY, GET, true", "READ_ONLY, HEAD, true", "READ_ONLY, OPTIONS, true",
        "READ_ONLY, POST, false", "READ_ONLY, PUT, false", "READ_ONLY, DELETE, false",
        "READ_ONLY, PATCH, false", "READ_ONLY, TRACE, false", "READ_ONLY, get, false", "READ_ONLY, PROPFIND, false"
    })
    void readOnlyLetsOnlyReadingMethodsThrough(Mode mode, String method, boolean admitted) {
        AccessPolicy.Way way = new AccessPolicy(mode).admit(request(method));
        assertEquals(admitted, way != null, mode + " " + method);
    }
}
