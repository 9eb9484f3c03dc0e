package network.canopy.p2p.config;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The one way the node replaces a file in its data directory (peer book, bans, anchors): blocking
 * I/O, so callers run it on a worker. A crash at any moment leaves the old file or the new one.
 */
public final class AtomicFile {
  private AtomicFile() {}

  /**
   * Writes {@code document} to {@code temporary}, fsyncs it, renames it over {@code file} and
   * fsyncs the directory: a crash at any moment leaves the old file or the new one, never a mix.
   */
  public static void write(Path file, Path temporary, Buffer document) throws IOException {
    try (FileChannel out =
        FileChannel.open(
            temporary,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer bytes = ByteBuffer.wrap(document.getBytes());
      while (bytes.hasRemaining()) {
        out.write(bytes);
      }
      out.force(true);
    }
    try {
      Files.move(
          temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the data directory cannot rename atomically: " + e.getMessage(), e);
    }
    syncDirectory(file);
  }

  /**
   * Makes the rename itself durable; some platforms cannot open a directory, which is harmless
   * there.
   */
  private static void syncDirectory(Path file) {
    try (FileChannel dir =
        FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      // Windows and some file systems refuse; the rename is still atomic, only its durability is
      // weaker.
    }
  }
}
