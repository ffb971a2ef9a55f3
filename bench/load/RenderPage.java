import org.apache.catalina.core.StandardHost;
import org.maintenancevalve.MaintenanceValve;
import org.maintenancevalve.response.MaintenanceAnswer;
import org.maintenancevalve.response.PageLanguage;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * Writes the page a MaintenanceValve sends for a flag file, using the valve itself: run as a
 * single source file, {@code java -cp <valve jar>:<tomcat lib>/* RenderPage.java FLAG OUT}.
 * bench/load.sh gives it to the reference valve, so the reference writes the very same bytes.
 * The page depends only on the flag file's content and modification time.
 */
public class RenderPage {
    public static void main(String[] args) throws Exception {
        StandardHost host = new StandardHost();
        host.setName("localhost");
        MaintenanceValve valve = new MaintenanceValve();
        valve.setFlagFile(args[0]);
        valve.setContainer(host);
        valve.init();
        valve.start();
        try {
            Field gateField = MaintenanceValve.class.getDeclaredField("gate");
            gateField.setAccessible(true);
            Object gate = gateField.get(valve);
            Field answerField = gate.getClass().getDeclaredField("answer");
            answerField.setAccessible(true);
            MaintenanceAnswer answer = (MaintenanceAnswer) answerField.get(gate);
            if (answer == null) {
                throw new IllegalStateException("maintenance is not on for " + args[0]);
            }
            // The English page, as a request without Accept-Language gets it (wrk sends none).
            String html = answer.page(PageLanguage.ENGLISH)
                    .withRetryAfter(answer.retryAfterSeconds(System.currentTimeMillis()));
            Files.write(Paths.get(args[1]), html.getBytes(StandardCharsets.UTF_8));
        } finally {
            valve.stop();
            valve.destroy();
        }
    }
}
