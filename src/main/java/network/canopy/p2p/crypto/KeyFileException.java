package network.canopy.p2p.crypto;

import java.io.IOException;

/**
 * The node key file could not be used: missing, already present, corrupt, readable by others, or an
 * I/O error. The message names the path and the problem; the file is never replaced silently.
 */
public final class KeyFileException extends IOException {
  private static final long serialVersionUID = 1L;

  public KeyFileException(String message) {
    super(message);
  }

  public KeyFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
