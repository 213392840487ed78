package org.careloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;
import org.careloop.app.EhrConnection;
import org.careloop.app.admin.EhrSetup;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A practice's EHR connections: keyed by practice and name (another practice's connection of the
 * same name is its own), connected again with new settings, disconnected with its cursors kept,
 * each change audited; a cursor only moves forward.
 */
class EhrConnectionsTest {
  static final Instant T0 = BadInputTest.NOW;

  static EhrConnection connection(String practice, String name, String base) {
    return new EhrConnection(
        practice,
        name,
        base,
        EhrConnection.Auth.BEARER,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.of("env:EHR_TOKEN"),
        Optional.empty(),
        T0,
        Optional.empty());
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void connections_areThePracticesOwn_andCursorsOnlyMoveForward(String kind) throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithTwoPractices(db);
      var setup = new EhrSetup(store);
      setup.connect("ada", connection("default", "main", "https://ehr.example/fhir"), T0);
      setup.connect("lee", connection("lakeside", "main", "https://dental.example/fhir"), T0);
      assertThatThrownBy(() -> setup.connect("ada", connection("default", "Main EHR", "x"), T0))
          .hasMessageContaining("lower-case letters, digits and dashes, not 'Main EHR'");

      assertThat(setup.connections("default"))
          .extracting(EhrConnection::fhirBase)
          .containsExactly("https://ehr.example/fhir");
      assertThat(setup.connections("lakeside"))
          .extracting(EhrConnection::fhirBase)
          .containsExactly("https://dental.example/fhir");

      Instant t1 = Instant.parse("2026-03-01T10:00:00Z");
      store.inTransaction(tx -> {
        tx.advanceCursor("default", "main", "Appointment", t1, T0);
        // An older time never moves a cursor back.
        tx.advanceCursor("default", "main", "Appointment", t1.minusSeconds(60), T0);
        tx.advanceCursor("lakeside", "main", "Appointment", t1.plusSeconds(3600), T0);
        return null;
      });
      assertThat(setup.show("default", "main").orElseThrow().cursors())
          .containsExactly(java.util.Map.entry("Appointment", t1));

      // Disconnected, then connected again with a new address: the cursors stay.
      setup.disconnect("ada", "default", "main", T0.plusSeconds(10));
      assertThat(setup.connections("default").get(0).active()).isFalse();
      assertThatThrownBy(() -> setup.disconnect("ada", "default", "main", T0.plusSeconds(20)))
          .hasMessage("the EHR connection 'main' is disconnected");
      setup.connect(
          "ada", connection("default", "main", "https://ehr2.example/fhir"), T0.plusSeconds(30));
      var shown = setup.show("default", "main").orElseThrow();
      assertThat(shown.connection().active()).isTrue();
      assertThat(shown.connection().fhirBase()).isEqualTo("https://ehr2.example/fhir");
      assertThat(shown.cursors()).containsEntry("Appointment", t1);
      assertThat(setup.show("lakeside", "main").orElseThrow().connection().fhirBase())
          .isEqualTo("https://dental.example/fhir");

      var q = new Queries(db.dataSource());
      assertThat(
              q.strings(
                  "select actor || ' ' || practice_id || ' ' || action || ' ' || subject from"
                      + " audit_event where action like 'ehr.%' order by id"))
          .containsExactly(
              "ada default ehr.connect ehr main",
              "lee lakeside ehr.connect ehr main",
              "ada default ehr.disconnect ehr main",
              "ada default ehr.reconnect ehr main");
    }
  }
}
