package network.canopy.p2p.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import network.canopy.p2p.testing.Blocking;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Event-bus meters exist for topic addresses (the node reads their pending gauge) and for no other
 * address: requests to {@code .send} and their replies are not metered per message.
 */
class TopicBusMetricsTest {

  private final PrometheusMeterRegistry registry = VertxBootstrap.newRegistry();
  private final Vertx vertx = VertxBootstrap.create(registry);

  @AfterEach
  void close() {
    Blocking.awaitClosing(vertx.close(), Duration.ofSeconds(20));
  }

  @Test
  void topicAddressesAreMeteredOtherAddressesAreNot() throws Exception {
    EventBus bus = vertx.eventBus();
    bus.<Buffer>consumer("m.topic.consensus", msg -> {}).completion().await(20, TimeUnit.SECONDS);
    bus.<Buffer>consumer("m.send", msg -> msg.reply("ok")).completion().await(20, TimeUnit.SECONDS);
    for (int i = 0; i < 3; i++) {
      bus.publish("m.topic.consensus", Buffer.buffer("x"));
      bus.request("m.send", Buffer.buffer("y")).await(20, TimeUnit.SECONDS);
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> published("m.topic.consensus") == 3);
    assertThat(addressesOf("vertx.eventbus.handlers")).contains("m.topic.consensus");
    assertThat(addressesOf("vertx.eventbus.pending")).contains("m.topic.consensus");
    List<String> metered =
        registry.getMeters().stream()
            .filter(m -> m.getId().getName().startsWith("vertx.eventbus"))
            .map(m -> m.getId().getTag("address"))
            .toList();
    assertThat(metered).isNotEmpty().allMatch(a -> a == null || a.contains(".topic."));
  }

  private double published(String address) {
    var counter = registry.find("vertx.eventbus.published").tag("address", address).counter();
    return counter == null ? 0 : counter.count();
  }

  private List<String> addressesOf(String name) {
    return registry.find(name).meters().stream()
        .map(Meter::getId)
        .map(id -> id.getTag("address"))
        .toList();
  }
}
