package network.canopy.p2p.conn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import network.canopy.p2p.wire.PacketFormat;
import org.junit.jupiter.api.Test;

/** Settings refuse what the protocol or the implementation cannot honour. */
class ConnSettingsTest {

  private static TopicSpec topic(int id) {
    return new TopicSpec(id, "t" + id, 4, 1000, 1000, 1000);
  }

  @Test
  void peerExchangeIsAddedWhenAbsent() {
    ConnSettings s = ConnSettings.of(List.of(topic(1)));
    assertThat(s.topic(PacketFormat.PEER_EXCHANGE_TOPIC)).contains(TopicSpec.peerExchangeDefault());
    assertThat(s.topics()).hasSize(2);
  }

  @Test
  void topicIdsMustBeApplicationOrPeerExchange() {
    for (int id : new int[] {0, 240, 254, 256, -1}) {
      assertThatThrownBy(() -> topic(id)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void badTopicFieldsAreRefused() {
    assertThatThrownBy(() -> new TopicSpec(1, "t", 0, 1, 1, 1)).hasMessageContaining("priority");
    assertThatThrownBy(() -> new TopicSpec(1, "t", 17, 1, 1, 1)).hasMessageContaining("priority");
    assertThatThrownBy(() -> new TopicSpec(1, "t", 1, PacketFormat.MAX_MESSAGE_LENGTH + 1, 1, 1))
        .hasMessageContaining("maxMessageSize");
    assertThatThrownBy(() -> new TopicSpec(1, "t", 1, 1, 0, 1)).hasMessageContaining("bounds");
    assertThatThrownBy(() -> new TopicSpec(255, "pex", 1, 1000, 1, 1)).hasMessageContaining("255");
  }

  @Test
  void duplicateIdsAndBadConnectionFieldsAreRefused() {
    assertThatThrownBy(() -> ConnSettings.of(List.of(topic(1), topic(1))))
        .hasMessageContaining("twice");
    ConnSettings ok = ConnSettings.of(List.of(topic(1)));
    assertThatThrownBy(() -> ok.withHeartbeat(1000, 1000)).hasMessageContaining("heartbeat");
    assertThatThrownBy(() -> ok.withRates(-1, 0)).hasMessageContaining("rates");
    assertThatThrownBy(() -> ok.withConnSendQueueBytes(0))
        .hasMessageContaining("connSendQueueBytes");
  }
}
