package org.careloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.careloop.adapters.jdbc.ProtocolVersions;
import org.careloop.adapters.protocol.ProtocolLibrary;
import org.careloop.app.InputRejected;
import org.careloop.app.engine.Engine;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Protocol versions: a plan started on v1 finishes on v1 after v2 is loaded, new enrolments take
 * v2, and a version cannot change under running plans.
 */
class ProtocolVersionsTest {
  static final Instant T0 = BadInputTest.NOW;

  static String v2() throws Exception {
    return ProtocolFileTest.shipped("treatment-plan-follow-up.v1.yaml")
        .replace("version: 1", "version: 2")
        .replace(
            "  - {after: 7d, channels: [sms], template: CHECK_IN}",
            "  - {after: 3d, channels: [sms], template: CHECK_IN}");
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void aPlanStartedOnV1_finishesOnV1_afterV2IsLoaded(String kind, @TempDir Path dir)
      throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithPractice(db);
      var versions = new ProtocolVersions(store);
      var v1 = new Engine(ProtocolLibrary.load(versions, Optional.empty(), T0));
      assertThat(v1.protocols().latest("treatment-plan-follow-up").version()).isEqualTo(1);
      DispatcherTest.importRow(store, v1, "MRN1,Sarah Lee,617-555-0101,,Dr. M,lab,,2026-06-01");

      Files.writeString(dir.resolve("treatment-plan-follow-up.v2.yaml"), v2());
      var v2 = new Engine(ProtocolLibrary.load(versions, Optional.of(dir), T0.plusSeconds(60)));
      assertThat(v2.protocols().latest("treatment-plan-follow-up").version()).isEqualTo(2);
      DispatcherTest.importRow(store, v2, "MRN2,Ana Diaz,617-555-0102,,Dr. M,lab,,2026-06-01");

      var runner = DispatcherTest.sandboxRunner(store, v2, T0);
      runner.advance(T0, T0.plus(Duration.ofDays(8)), t -> {});
      var q = new Queries(db.dataSource());
      assertThat(
              q.matching(
                  "select p.protocol_version, t.detail, t.detail from timeline_entry t join plan p on p.id = t.plan_id"
                      + " order by t.id",
                  "%check-in: next step still not booked%"))
          .containsExactly(
              "2 check-in message by [SMS]: day-3 check-in: next step still not booked",
              "1 check-in message by [SMS]: day-7 check-in: next step still not booked");
      assertThat(
              q.strings(
                  "select protocol_id || ' v' || version from protocol_version"
                      + " where protocol_id = 'treatment-plan-follow-up' order by version"))
          .containsExactly("treatment-plan-follow-up v1", "treatment-plan-follow-up v2");

      // Loading again is a no-op; the v2 file gone, v2 still decides the plans on it.
      Files.delete(dir.resolve("treatment-plan-follow-up.v2.yaml"));
      assertThat(
              ProtocolLibrary.load(versions, Optional.of(dir), T0.plusSeconds(120))
                  .version("treatment-plan-follow-up", 2)
                  .betweenSteps()
                  .get(0)
                  .offsetKey())
          .isEqualTo("d3");

      // The same version with other content is refused: plans run on it.
      Files.writeString(dir.resolve("changed.yaml"), v2().replace("touch-cap: 8", "touch-cap: 9"));
      assertThatThrownBy(() -> ProtocolLibrary.load(versions, Optional.of(dir), T0))
          .isInstanceOf(InputRejected.class)
          .hasMessageContaining("changed.yaml: treatment-plan-follow-up v2 was loaded before")
          .hasMessageEndingWith(
              "with other content; plans run on it, so a change needs a new version");
      Files.delete(dir.resolve("changed.yaml"));

      // A file with a problem stops the start, by file and line.
      Files.writeString(
          dir.resolve("broken.yaml"),
          v2().replace("version: 2", "version: 3").replace("touch-cap: 8", "touch-cap: many"));
      assertThatThrownBy(() -> ProtocolLibrary.load(versions, Optional.of(dir), T0))
          .isInstanceOf(InputRejected.class)
          .hasMessageContaining("broken.yaml:16: touch-cap 'many' is not a whole number from 1");
      assertThat(
              q.count(
                  "select count(*) from protocol_version where protocol_id = 'treatment-plan-follow-up'"))
          .isEqualTo(2);
    }
  }
}
