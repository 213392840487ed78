package org.careloop.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reports and queues read each plan's care-gap tiers from the protocol version it runs on. */
class GapTiersTest {
  static final Instant NOW = Instant.parse("2026-12-01T15:00:00Z");

  @Test
  void aPracticesOwnProtocolVersion_setsItsPlansCareGapTiers(@TempDir Path dir) throws Exception {
    String shipped =
        new String(
            GapTiersTest.class
                .getResourceAsStream("/protocols/treatment-plan-follow-up.v1.yaml")
                .readAllBytes());
    assertThat(shipped).contains("care-gap-tiers: [1d, 8d, 15d, 31d]").contains("version: 1");
    Files.writeString(
        dir.resolve("treatment-plan-follow-up.v2.yaml"),
        shipped
            .replace("care-gap-tiers: [1d, 8d, 15d, 31d]", "care-gap-tiers: [2d, 5d, 10d, 20d]")
            .replace("version: 1", "version: 2"));
    System.setProperty("CARELOOP_PROTOCOLS", dir.toString());
    try (var c =
        Opened.careloop(
            "jdbc:h2:mem:tiers" + System.nanoTime() + ";DB_CLOSE_DELAY=-1",
            Optional.of("simulated"),
            Optional.of(NOW),
            2)) {
      c.importBatch(
          c.csvReader()
              .read(
                  "patient_id,name,phone,follow_up_type,due_date\nT1,Sam Lee,617-555-0101,lab,2026-11-19\n",
                  "tiers.csv",
                  NOW));
      var gaps = c.read().careGaps(NOW, c.protocols()::of, Optional.empty());
      // 11 days past due: tier 3 of [2, 5, 10, 20]; the shipped [1, 8, 15, 31] would say tier 2.
      assertThat(gaps)
          .singleElement()
          .satisfies(g -> {
            assertThat(g.daysOverdue()).isEqualTo(11);
            assertThat(g.tier()).isEqualTo(3);
          });
    } finally {
      System.clearProperty("CARELOOP_PROTOCOLS");
    }
  }
}
