package network.canopy.p2p.book;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import network.canopy.p2p.config.HostPort;
import network.canopy.p2p.crypto.NodeIdentity;
import network.canopy.p2p.testkit.ManualClock;
import network.canopy.p2p.wire.AddressRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerBookStoreTest {

  @TempDir Path dir;

  private static String id(int n) {
    return String.format("%064x", n);
  }

  @Test
  void aSavedBookLoadsBackEntryForEntry() throws Exception {
    ManualClock clock = new ManualClock(1_700_000_000_000L);
    PeerBook book = new PeerBook(id(0), 100, 10, clock, reason -> {});
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
    assertThat(loaded.entries())
        .extracting(BookEntry::toJson)
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
    for (String corrupt :
        List.of(
            "{\"version\":1,\"entries\":[{\"id\"",
            "not json at all",
            "{\"version\":99,\"entries\":[]}",
            "[1,2,3]",
            "{\"version\":1,\"entries\":{}}")) {
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
    Files.writeString(
        dir.resolve("peerbook.json"),
        "{\"version\":1,\"entries\":["
            + "{\"id\":\""
            + id(1)
            + "\",\"address\":\"203.0.113.1:9001\",\"source\":\"exchange\",\"firstSeen\":5},"
            + "{\"id\":\"nothex\",\"address\":\"203.0.113.2:9001\",\"source\":\"exchange\"},"
            + "{\"id\":\""
            + id(3)
            + "\",\"address\":\"no port\",\"source\":\"exchange\"},"
            + "{\"id\":\""
            + id(4)
            + "\",\"address\":\"203.0.113.4:9001\",\"source\":\"martian\"},"
            + "7]}");
    PeerBookStore.Loaded loaded = new PeerBookStore(dir).load();
    assertThat(loaded.entries()).extracting(e -> e.id).containsExactly(id(1));
    assertThat(loaded.skipped()).isEqualTo(4);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("peerbook.json");
    }
  }

  @Test
  void signedRecordsAreSavedAndLoadedAndAForgedOneIsDroppedWithoutItsEntry() throws Exception {
    NodeIdentity a = NodeIdentity.generate(new SecureRandom());
    NodeIdentity b = NodeIdentity.generate(new SecureRandom());
    ManualClock clock = new ManualClock(1_700_000_000_000L);
    PeerBook book = new PeerBook(id(0), 100, 10, clock, reason -> {});
    HostPort address = HostPort.parse("203.0.113.3:9001");
    book.seen(a.id(), address, BookEntry.Source.DIAL);
    book.get(a.id()).orElseThrow().record =
        AddressRecord.sign(a, new byte[] {(byte) 203, 0, 113, 3}, 9001, 1_700_000_000L);
    book.seen(b.id(), HostPort.parse("203.0.113.4:9001"), BookEntry.Source.DIAL);
    // b's entry carries a record of b's id signed by a: written by hand into the file, as a
    // tamperer would.
    book.get(b.id()).orElseThrow().record =
        new AddressRecord(
            b.publicKey(),
            new byte[] {(byte) 203, 0, 113, 4},
            9001,
            1_700_000_000L,
            AddressRecord.sign(a, new byte[] {(byte) 203, 0, 113, 4}, 9001, 1_700_000_000L)
                .signature());
    PeerBookStore store = new PeerBookStore(dir);
    store.save(PeerBookStore.encode(book.entries(), book.key(), clock.getAsLong()));

    PeerBookStore.Loaded loaded = store.load();
    assertThat(loaded.entries()).hasSize(2);
    BookEntry atA =
        loaded.entries().stream().filter(e -> e.id.equals(a.id())).findFirst().orElseThrow();
    BookEntry atB =
        loaded.entries().stream().filter(e -> e.id.equals(b.id())).findFirst().orElseThrow();
    assertThat(atA.record).isEqualTo(book.get(a.id()).orElseThrow().record);
    assertThat(atB.record).as("a record that does not verify is dropped at load").isNull();
    assertThat(atB.address).as("its entry stays").isEqualTo(HostPort.parse("203.0.113.4:9001"));
  }

  @Test
  void aFormatTwoBookLoadsWithoutRecords() throws Exception {
    Files.writeString(
        dir.resolve("peerbook.json"),
        "{\"version\":2,\"savedAt\":1,\"key\":\""
            + Base64.getEncoder().encodeToString(new byte[32])
            + "\",\"entries\":[{\"id\":\""
            + id(7)
            + "\",\"address\":\"203.0.113.7:9001\",\"source\":\"exchange\",\"firstSeen\":5,\"failures\":0,"
            + "\"sourceGroup\":\"v4:203.0\",\"tried\":false}]}");
    PeerBookStore.Loaded loaded = new PeerBookStore(dir).load();
    assertThat(loaded.setAside()).isEmpty();
    assertThat(loaded.key()).isEqualTo(new byte[32]);
    assertThat(loaded.entries())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.id).isEqualTo(id(7));
              assertThat(e.record).isNull();
            });
  }
}
