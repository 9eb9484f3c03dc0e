package network.canopy.p2p.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import network.canopy.p2p.cli.Main;
import org.junit.jupiter.api.Test;

/** {@code sim} from the command line, with nodes stopped and restarted while it broadcasts. */
class SimCommandTest {

  @Test
  void simulatesChurnWithRestartsAndReportsEveryMessageDelivered() {
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int exit;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      exit =
          Main.execute(
              "sim",
              "--nodes",
              "10",
              "--degree",
              "4",
              "--messages",
              "60",
              "--rate",
              "200",
              "--churn",
              "0.3",
              "--restart",
              "--seed",
              "42",
              "--json");
    } finally {
      System.setOut(stdout);
    }
    String out = captured.toString(StandardCharsets.UTF_8).trim();
    JsonObject report = new JsonObject(out.substring(out.lastIndexOf('\n') + 1));

    assertThat(exit).isZero();
    assertThat(report.getInteger("nodes")).isEqualTo(10);
    assertThat(report.getInteger("killed")).isEqualTo(3);
    assertThat(report.getBoolean("restarted")).isTrue();
    assertThat(report.getDouble("deliveryRatio")).isEqualTo(1.0);
    assertThat(report.getLong("extraDeliveries")).isZero();
    assertThat(report.getInteger("diameter")).isPositive();
  }
}
