package network.canopy.p2p.reputation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import network.canopy.p2p.testkit.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bans.json}: what is saved comes back, and the ban list takes the reputation bans back. */
class BanStoreTest {

  @TempDir Path dir;

  @Test
  void savedBansComeBackAndAStrayTemporaryFileIsRemoved() throws Exception {
    BanStore store = new BanStore(dir);
    assertThat(store.load()).as("no file yet").isEmpty();
    List<BanStore.Saved> bans =
        List.of(
            new BanStore.Saved("operator", "aa", null, 5_000, 1, "spam"),
            new BanStore.Saved("operator", null, "10.0.0.0/8", Long.MAX_VALUE, 1, "range"),
            new BanStore.Saved("reputation", "bb", null, 7_000, 3, "MALFORMED_PACKET"));
    store.save(BanStore.encode(bans));
    Files.writeString(dir.resolve(BanStore.FILE_NAME + ".tmp"), "half a save");
    assertThat(store.load()).containsExactlyElementsOf(bans);
    assertThat(dir.resolve(BanStore.FILE_NAME + ".tmp")).doesNotExist();
  }

  @Test
  void anUnreadableFileStopsTheLoadButOneBadEntryIsSkipped() throws Exception {
    BanStore store = new BanStore(dir);
    Files.writeString(
        store.file(),
        "{\"version\":1,\"bans\":[{\"peer\":\"aa\",\"until\":9},{\"until\":1},"
            + "{\"ip\":\"10.0.0.1\",\"peer\":\"both\",\"until\":1}]}");
    assertThat(store.load()).extracting(BanStore.Saved::peer).containsExactly("aa");
    Files.writeString(store.file(), "not json");
    assertThatThrownBy(store::load)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("ban list");
  }

  @Test
  void theBanListTakesBackItsTemporaryBansWithTheirRepeatCounts() {
    ManualClock clock = new ManualClock(1_000_000_000L);
    BanList before = new BanList(ReputationSettings.defaults(), clock, Set.of(), Set.of());
    before.ban("p", "FIRST");
    clock.advance(10 * 60_000);
    long until = before.ban("p", "SECOND"); // second ban: 2 minutes
    List<BanList.Temporary> saved = before.temporary();
    assertThat(saved).containsExactly(new BanList.Temporary("p", until, 2, "SECOND"));

    BanList after = new BanList(ReputationSettings.defaults(), clock, Set.of("trusted"), Set.of());
    saved.forEach(after::restore);
    after.restore(new BanList.Temporary("trusted", until, 1, "x"));
    assertThat(after.bannedUntil("p")).isEqualTo(until);
    assertThat(after.isBanned("trusted")).isFalse();
    clock.set(until);
    assertThat(after.isBanned("p")).isFalse();
    assertThat(after.ban("p", "THIRD") - until)
        .as("the count survived: third ban, 4 minutes")
        .isEqualTo(4 * 60_000);
    assertThat(after.lift("p")).isTrue();
    assertThat(after.isBanned("p")).isFalse();
    assertThat(after.lift("p")).isFalse();
  }
}
