package network.canopy.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import network.canopy.p2p.embed.testkit.CanopyNetworkExtension;
import network.canopy.p2p.embed.testkit.CanopyTestNetwork;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The example chat on three real nodes from the test kit: replication, partitions, a restart. */
class ChatRoomTest {

  private static final Duration WITHIN = Duration.ofSeconds(20);

  @RegisterExtension
  final CanopyNetworkExtension canopy = CanopyNetworkExtension.nodes(3, Map.of("topics", ChatRoom.TOPICS));

  private CanopyTestNetwork net;
  private final ChatRoom[] rooms = new ChatRoom[3];

  @BeforeEach
  void openRooms() throws Exception {
    net = canopy.network();
    for (int i = 0; i < 3; i++) {
      openRoom(i);
    }
  }

  @Test
  void aLinePostedOnOneNodeAppearsOnceInEveryRoom() throws Exception {
    join(rooms[0].post("hello"));
    join(rooms[1].post("hi"));
    join(rooms[1].post("hi")); // same text again: a second line, not a duplicate

    for (ChatRoom room : rooms) {
      await().atMost(WITHIN).untilAsserted(() ->
          assertThat(room.texts()).containsExactlyInAnyOrder("hello", "hi", "hi"));
    }
  }

  @Test
  void aCutLinkIsBridgedByTheThirdNode() throws Exception {
    net.cut(0, 1);
    net.awaitConnected();

    join(rooms[0].post("around the cut"));

    await().atMost(WITHIN).untilAsserted(() -> assertThat(rooms[1].texts()).containsExactly("around the cut"));
    net.restore(0, 1);
    net.awaitConnected();
  }

  @Test
  void anIsolatedNodeMissesLinesUntilItsLinksComeBack() throws Exception {
    net.cut(0, 2);
    net.cut(1, 2);
    net.awaitConnected();
    join(rooms[0].post("while 2 was away"));
    await().atMost(WITHIN).untilAsserted(() -> assertThat(rooms[1].texts()).contains("while 2 was away"));

    net.restore(0, 2);
    net.restore(1, 2);
    net.awaitConnected();
    join(rooms[1].post("welcome back"));

    await().atMost(WITHIN).untilAsserted(() -> assertThat(rooms[2].texts()).contains("welcome back"));
    assertThat(rooms[2].texts()).doesNotContain("while 2 was away"); // gossip has no history
  }

  @Test
  void aRestartedNodeRejoinsTheRoom() throws Exception {
    String id = net.id(2);
    net.stop(2);
    join(rooms[0].post("during the restart"));
    await().atMost(WITHIN).untilAsserted(() -> assertThat(rooms[1].texts()).contains("during the restart"));

    net.restart(2);
    openRoom(2); // the room's node handle changed: a new room on it
    net.awaitConnected();
    join(rooms[2].post("back"));

    await().atMost(WITHIN).untilAsserted(() -> {
      assertThat(rooms[0].texts()).contains("back");
      assertThat(rooms[1].texts()).contains("back");
    });
    assertThat(net.node(2).id()).isEqualTo(id);
  }

  private void openRoom(int i) throws Exception {
    rooms[i] = new ChatRoom(net.node(i), "user" + i);
    join(net.vertx().deployVerticle(rooms[i]));
  }

  private static <T> T join(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
