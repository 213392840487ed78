package org.careloop.adapters.fhir.healthie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.careloop.adapters.fhir.FhirReader;
import org.careloop.app.EhrConnection;
import org.careloop.app.InputRejected;
import org.careloop.app.intake.EhrClient;
import org.careloop.core.StepKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Healthie connection against a GraphQL server over Healthie's schema: an appointment fetched
 * with its client as a FHIR Appointment and Patient (its time as Healthie writes it, its status
 * from pm_status, a deleted one cancelled), the changes since a cursor read page by page, and a
 * wrong API key or a record careloop cannot take said plainly.
 */
class HealthieEhrClientTest {
  static final String KEY = "healthie-key-" + Long.toString(System.nanoTime(), 36);
  static final Instant NOW = Instant.parse("2026-12-04T15:00:00Z");
  static HealthieTestServer healthie;
  static HealthieEhrClient client;
  static EhrConnection C;

  @BeforeAll
  static void start() throws Exception {
    System.setProperty("CARELOOP_TEST_HEALTHIE_KEY", KEY);
    System.setProperty("CARELOOP_TEST_HEALTHIE_WRONG", "not-the-key");
    healthie = HealthieTestServer.start(KEY, ZoneOffset.ofHours(-5));
    healthie.now(NOW);
    client =
        new HealthieEhrClient(
            practice -> new FhirReader(practice, ZoneId.of("America/New_York"), "US"),
            Clock.fixed(NOW, ZoneOffset.UTC));
    C = connection("CARELOOP_TEST_HEALTHIE_KEY");
  }

  @AfterAll
  static void stop() {
    healthie.close();
  }

  static EhrConnection connection(String keyProperty) {
    return new EhrConnection(
        "p1",
        "healthie",
        healthie.url(),
        EhrConnection.Auth.API_KEY,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.of("env:" + keyProperty),
        Optional.empty(),
        NOW,
        Optional.empty(),
        false,
        EhrConnection.Api.HEALTHIE);
  }

  @Test
  void anAppointment_isItsClientAndAFhirAppointment_atTheTimeHealthieWrote() {
    healthie.user("501", "Maria", "Lopez", "(617) 555-0142", "1961-03-09", NOW.minusSeconds(9000));
    var start = Instant.parse("2026-12-10T15:30:00Z"); // 10:30 -0500, as Healthie writes it
    healthie.appointment("9001", "501", "Physical therapy session", start, 45, null, NOW);

    var batch = client.fetch(C, "Appointment/9001");

    assertThat(batch.patients())
        .singleElement()
        .satisfies(p -> {
          assertThat(p.sourceKey()).isEqualTo("fhir:Patient/healthie-501");
          assertThat(p.firstName()).isEqualTo("Maria");
          assertThat(p.lastName()).isEqualTo("Lopez");
          assertThat(p.mobile()).contains("+16175550142");
          assertThat(p.birthDate()).contains(java.time.LocalDate.of(1961, 3, 9));
        });
    assertThat(batch.appointments())
        .singleElement()
        .satisfies(a -> {
          assertThat(a.sourceKey()).isEqualTo("fhir:Appointment/healthie-9001");
          assertThat(a.patientSourceKey()).isEqualTo("fhir:Patient/healthie-501");
          assertThat(a.status()).isEqualTo("booked");
          assertThat(a.start()).contains(start);
          assertThat(a.kind()).contains(StepKind.THERAPY);
        });
  }

  @Test
  void whatCameOfAnAppointment_isItsStatus_andADeletedOneIsCancelled() {
    healthie.user("502", "Sam", "Okafor", "617-555-0199", "1970-01-02", NOW);
    var start = Instant.parse("2026-11-20T14:00:00Z");
    healthie.appointment("9002", "502", "Lab draw", start, 15, "Occurred", NOW);
    assertThat(client.fetch(C, "Appointment/9002").appointments().get(0).status())
        .isEqualTo("fulfilled");
    healthie.appointment("9002", "502", "Lab draw", start, 15, "No-Show", NOW);
    assertThat(client.fetch(C, "Appointment/9002").appointments().get(0).status())
        .isEqualTo("noshow");
    healthie.appointment("9002", "502", "Lab draw", start, 15, "Late Cancellation", NOW);
    assertThat(client.fetch(C, "Appointment/9002").appointments().get(0).status())
        .isEqualTo("cancelled");

    healthie.appointment("9003", "502", "Lab draw", start.plusSeconds(86400 * 30), 15, null, NOW);
    healthie.delete("9003", NOW);
    assertThat(client.fetch(C, "Appointment/9003").appointments().get(0).status())
        .isEqualTo("cancelled");
  }

  @Test
  void anAppointmentHealthieNoLongerHas_isNothingToImport() {
    var batch = client.fetch(C, "Appointment/404404");
    assertThat(batch.patients()).isEmpty();
    assertThat(batch.appointments()).isEmpty();
  }

  @Test
  void aClientAlone_isAPatient() {
    healthie.user("503", "Lee", "Chen", "6175550123", "1988-07-04", NOW);
    assertThat(client.fetch(C, "Patient/503").patients())
        .singleElement()
        .satisfies(p -> assertThat(p.firstName()).isEqualTo("Lee"));
  }

  @Test
  void aTimeHealthieDidNotWrite_isRefusedNamingTheField() {
    healthie.user("504", "Ana", "Diaz", "6175550100", "1990-01-01", NOW);
    healthie.appointment("9004", "504", "Follow-up visit", NOW.plusSeconds(86400), 30, null, NOW);
    healthie.set("9004", "date", "next tuesday");
    assertThatThrownBy(() -> client.fetch(C, "Appointment/9004"))
        .isInstanceOf(InputRejected.class)
        .satisfies(e ->
            assertThat(((InputRejected) e).where()).isEqualTo("Healthie appointment 9004.date"))
        .hasMessageNotContaining("next tuesday");
    healthie.set("9004", "pm_status", "Teleported");
    healthie.set("9004", "date", "2026-12-05 09:00:00 -0500");
    assertThatThrownBy(() -> client.fetch(C, "Appointment/9004"))
        .isInstanceOf(InputRejected.class)
        .satisfies(e ->
            assertThat(((InputRejected) e).where())
                .isEqualTo("Healthie appointment 9004.pm_status"));
  }

  @Test
  void aWrongApiKey_isTheEhrRefusing_andTheCheckSaysSo() {
    var wrong = connection("CARELOOP_TEST_HEALTHIE_WRONG");
    assertThatThrownBy(() -> client.fetch(wrong, "Appointment/9001"))
        .isInstanceOf(EhrClient.Unreachable.class)
        .hasMessageContaining("answered 401")
        .hasMessageNotContaining("not-the-key");
    assertThat(client.check(wrong)).anySatisfy(c -> assertThat(c.ok()).isFalse());
    assertThat(client.check(C)).allSatisfy(c -> assertThat(c.ok()).as(c.step()).isTrue());
  }

  @Test
  void changesSinceTheCursor_areReadPageByPage_newestFirst() {
    // A practice's day of appointments, more than a page, changed over the last hours.
    try (var busy = fresh()) {
      var c =
          new EhrConnection(
              C.practiceId(),
              C.name(),
              busy.url(),
              C.auth(),
              C.clientId(),
              C.scope(),
              C.tokenEndpoint(),
              C.secretRef(),
              C.notifications(),
              C.createdAt(),
              C.disconnectedAt(),
              false,
              EhrConnection.Api.HEALTHIE);
      busy.user("600", "Kim", "Park", "6175550111", "1975-05-05", NOW);
      int n = HealthieEhrClient.PAGE + 30;
      for (int i = 0; i < n; i++)
        busy.appointment(
            "7" + i,
            "600",
            "Follow-up visit",
            NOW.plusSeconds(3600L * (i + 1)),
            20,
            null,
            NOW.minusSeconds(60L * (n - i)));

      var first = client.changes(c, Map.of());
      assertThat(first.matched()).containsEntry("Appointment", n);
      assertThat(first.batch().appointments()).hasSize(n);
      assertThat(first.batch().patients()).hasSize(1);
      assertThat(first.cursors()).containsEntry("Appointment", NOW.minusSeconds(60));

      // Since a cursor: only what changed at or after it.
      var since = client.changes(c, Map.of("Appointment", NOW.minusSeconds(60L * 10)));
      assertThat(since.matched()).containsEntry("Appointment", 10);

      // A change time Healthie wrote wrong stops nothing: that appointment is read all the same.
      busy.set("71", "updated_at", "last tuesday");
      assertThat(client.changes(c, Map.of()).batch().appointments()).hasSize(n);

      // One appointment careloop cannot take is left out with a note; the rest are read.
      busy.set("70", "date", "soon");
      var withBad = client.changes(c, Map.of());
      assertThat(withBad.batch().appointments()).hasSize(n - 1);
      assertThat(withBad.batch().warnings())
          .anySatisfy(w -> assertThat(w).contains("cannot take").contains(".date"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static HealthieTestServer fresh() throws java.io.IOException {
    var s = HealthieTestServer.start(KEY, ZoneOffset.ofHours(-5));
    s.now(NOW);
    return s;
  }
}
