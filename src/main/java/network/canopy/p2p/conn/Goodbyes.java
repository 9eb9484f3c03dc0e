package network.canopy.p2p.conn;

import network.canopy.p2p.wire.ControlMessage;
import network.canopy.p2p.wire.PacketFormat;

/**
 * Turns away an authenticated connection that will not be admitted (limits, bans, duplicates)
 * without starting a MultiConn for it: one frame with a GOODBYE saying why, then a lingering close.
 */
public final class Goodbyes {

  private Goodbyes() {}

  /** Sends the GOODBYE and closes after it; call on the connection's context. */
  public static void refuse(EncryptedConn conn, String reason) {
    if (conn.isClosed()) {
      return;
    }
    ControlMessage.Goodbye goodbye =
        new ControlMessage.Goodbye(ControlMessage.GOODBYE_NORMAL, reason);
    int length = goodbye.encodedLength();
    byte[] frame = new byte[PacketFormat.START_HEADER_LENGTH + length];
    int pos =
        PacketFormat.writeHeader(
            frame,
            0,
            PacketFormat.CONTROL_TOPIC,
            PacketFormat.FLAG_START | PacketFormat.FLAG_END,
            length,
            length);
    goodbye.encode(frame, pos);
    conn.send(frame);
    conn.closeAfterGoodbye(CloseReason.LOCAL, reason);
  }
}
