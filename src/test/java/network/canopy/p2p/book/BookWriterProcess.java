package network.canopy.p2p.book;

import java.nio.file.Path;
import network.canopy.p2p.config.HostPort;

/**
 * A separate process for {@link PeerBookCrashTest}: loads the book in a data dir, then grows it by
 * one entry per save and saves as fast as it can, for ever, until it is killed. Prints "ready N"
 * once its first save of N entries is on disk.
 */
public final class BookWriterProcess {

  private BookWriterProcess() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    PeerBookStore store = new PeerBookStore(dir);
    PeerBookStore.Loaded loaded = store.load();
    if (loaded.setAside().isPresent() || loaded.skipped() > 0) {
      System.out.println("corrupt " + loaded.setAside() + " skipped " + loaded.skipped());
      System.exit(3);
    }
    PeerBook book =
        new PeerBook(
            String.format("%064x", 0), 1_000_000, 10, System::currentTimeMillis, reason -> {});
    loaded.entries().forEach(book::restore);
    for (long n = book.size() + 1; ; n++) {
      String address =
          "10." + (n >> 16 & 0xff) + "." + (n >> 8 & 0xff) + "." + (n & 0xff) + ":9001";
      book.seen(String.format("%064x", n), HostPort.parse(address), BookEntry.Source.INBOUND);
      store.save(PeerBookStore.encode(book.entries(), book.key(), System.currentTimeMillis()));
      if (n == loaded.entries().size() + 1) {
        System.out.println("ready " + book.size());
        System.out.flush();
      }
    }
  }
}
