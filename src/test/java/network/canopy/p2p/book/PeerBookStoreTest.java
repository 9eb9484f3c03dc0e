package network.canopy.p2p.book;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import network.canopy.p2p.config.HostPort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import network.canopy.p2p.testkit.ManualClock;

class PeerBookStoreTest {

  @TempDir
  Path dir;

  private static String id(int n) {
    return String.format("%064x", n);
  }

  @Test
  void aSavedBookLoadsBackEntryForEntry() throws Exception {
    ManualClock clock = new ManualClock(1_700_000_000_000L);
    PeerBook book = new PeerBook(id(0), 100, 10, clock, reason -> { });
    book.configured(id(1), HostPort.parse("seed.example.org:9001"));
    book.seen(id(2), HostPort.parse("[2001:db8::7]:9001"), BookEntry.Source.INBOUND);
    book.learned(id(3), HostPort.parse("203.0.113.3:9001"));
    clock.advance(5000);
    book.failed(id(3));
    book.banned(id(2), clock.getAsLong() + 60_000);
    PeerBookStore store = new PeerBookStore(dir);

    store.save(PeerBookStore.encode(book.entries(), book.key(), clock.getAsLong()));
    PeerBookStore.Loaded loaded = store.load();

    assertThat(loaded.setAside()).isEmpty();
    assertThat(loaded.skipped()).isZero();
    assertThat(loaded.entries()).extracting(BookEntry::toJson)
        .containsExactlyElementsOf(book.entries().stream().map(BookEntry::toJson).toList());
    assertThat(dir.resolve("peerbook.json.tmp")).doesNotExist();
  }

  @Test
  void aMissingBookIsEmptyAndAStaleTemporaryFromACrashIsRemoved() throws Exception {
    Files.writeString(dir.resolve("peerbook.json.tmp"), "{\"version\":1,\"entr");
    PeerBookStore.Loaded loaded = new PeerBookStore(dir).load();
    assertThat(loaded.entries()).isEmpty();
    assertThat(loaded.setAside()).isEmpty();
    assertThat(dir.resolve("peerbook.json.tmp")).doesNotExist();
  }

  @Test
  void aCorruptBookIsSetAsideAndTheBookStartsEmpty() throws Exception {
    for (String corrupt : List.of("{\"version\":1,\"entries\":[{\"id\"", "not json at all",
        "{\"version\":99,\"entries\":[]}", "[1,2,3]", "{\"version\":1,\"entries\":{}}")) {
      Files.writeString(dir.resolve("peerbook.json"), corrupt);
      PeerBookStore.Loaded loaded = new PeerBookStore(dir).load();
      assertThat(loaded.entries()).as(corrupt).isEmpty();
      Path aside = loaded.setAside().orElseThrow();
      assertThat(aside.getFileName().toString()).startsWith("peerbook.json.corrupt-");
      assertThat(Files.readString(aside)).isEqualTo(corrupt);
      assertThat(dir.resolve("peerbook.json")).doesNotExist();
      Files.delete(aside);
    }
  }

  @Test
  void malformedEntriesAreSkippedAndTheRestKept() throws Exception {
    Files.writeString(dir.resolve("peerbook.json"), "{\"version\":1,\"entries\":["
        + "{\"id\":\"" + id(1) + "\",\"address\":\"203.0.113.1:9001\",\"source\":\"exchange\",\"firstSeen\":5},"
        + "{\"id\":\"nothex\",\"address\":\"203.0.113.2:9001\",\"source\":\"exchange\"},"
        + "{\"id\":\"" + id(3) + "\",\"address\":\"no port\",\"source\":\"exchange\"},"
        + "{\"id\":\"" + id(4) + "\",\"address\":\"203.0.113.4:9001\",\"source\":\"martian\"},"
        + "7]}");
    PeerBookStore.Loaded loaded = new PeerBookStore(dir).load();
    assertThat(loaded.entries()).extracting(e -> e.id).containsExactly(id(1));
    assertThat(loaded.skipped()).isEqualTo(4);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("peerbook.json");
    }
  }
}
