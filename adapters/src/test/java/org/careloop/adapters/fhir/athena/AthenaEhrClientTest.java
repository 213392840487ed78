package org.careloop.adapters.fhir.athena;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import org.careloop.adapters.fhir.FhirReader;
import org.careloop.adapters.smart.SmartTokens;
import org.careloop.app.EhrConnection;
import org.careloop.app.intake.EhrClient;
import org.careloop.app.intake.ImportBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An athenahealth connection by its changed-data feeds, against a server answering as athenaOne
 * does, fed athenahealth's own sample responses ({@code webhooks/athenahealth/List*.json}) and
 * records made here: subscribed on the first poll, signed in once for many calls, athenaNet's codes
 * and dates taken as FHIR, a patient an appointment did not carry asked for, a consent to texts
 * honoured, and a read cut off before its import read again.
 */
class AthenaEhrClientTest {
  static final Path DATA =
      Path.of(
          System.getProperty("careloop.shared.data", "../../shared/data"), "webhooks/athenahealth");
  static final JsonMapper JSON = JsonMapper.builder().build();
  AthenaTestServer athena;
  AthenaEhrClient client;
  EhrConnection c;

  @BeforeEach
  void start() throws Exception {
    System.setProperty("CARELOOP_TEST_ATHENA_CLIENT_SECRET", "s3cret/with+chars");
    System.setProperty("CARELOOP_TEST_ATHENA_WRONG", "not-it");
    athena = AthenaTestServer.start("careloop-client", "s3cret/with+chars");
    client =
        new AthenaEhrClient(
            practice -> new FhirReader(practice, ZoneId.of("America/New_York"), "US"),
            new SmartTokens(practice -> Optional.empty(), Clock.systemUTC()),
            Clock.systemUTC());
    c = connection("CARELOOP_TEST_ATHENA_CLIENT_SECRET");
  }

  @AfterEach
  void stop() {
    athena.close();
  }

  EhrConnection connection(String secretProperty) {
    var base = java.net.URI.create(athena.api());
    return new EhrConnection(
        "p1",
        "athena-" + secretProperty,
        athena.api(),
        EhrConnection.Auth.CLIENT_SECRET,
        Optional.of("careloop-client"),
        Optional.of("athena/service/Athenanet.MDP.*"),
        Optional.of("http://" + base.getRawAuthority() + "/oauth2/v1/token"),
        Optional.of("env:" + secretProperty),
        Optional.empty(),
        Instant.now(),
        Optional.empty(),
        false,
        EhrConnection.Api.ATHENA);
  }

  static JsonNode json(String text) {
    return JSON.readTree(text);
  }

  @Test
  void athenahealthsOwnSamples_areTakenAsFhir_andThePatientAnAppointmentDidNotCarryIsAskedFor()
      throws Exception {
    var patients = JSON.readTree(Files.readString(DATA.resolve("ListChangedPatients.json")));
    for (var p : patients.path("patients").values()) athena.changed("patients", p);
    var appts = JSON.readTree(Files.readString(DATA.resolve("ListChangedAppointments.json")));
    for (var a : appts.path("appointments").values()) athena.changed("appointments", a);
    // The samples' appointments are for patient 7965, whom the patients feed did not change.
    athena.patient(
        json(
            """
            {"patientid": "7965", "firstname": "Dana", "lastname": "Reyes", "dob": "03/04/1970",
             "mobilephone": "6175550123", "consenttotext": true, "state": "MA"}
            """));

    var changes = client.changes(c, Map.of());

    assertThat(athena.subscribed("patients")).isTrue();
    assertThat(athena.subscribed("appointments")).isTrue();
    assertThat(athena.tokensGiven()).isEqualTo(1);
    assertThat(changes.matched()).containsEntry("Patient", 1).containsEntry("Appointment", 2);
    var batch = changes.batch();
    assertThat(batch.patients())
        .extracting(p -> p.sourceKey())
        .containsExactlyInAnyOrder("fhir:Patient/athena-1", "fhir:Patient/athena-7965");
    var mike = patient(batch, "fhir:Patient/athena-1");
    assertThat(mike.firstName()).isEqualTo("Mike");
    assertThat(mike.mobile()).contains("+18608105503");
    assertThat(mike.birthDate()).contains(java.time.LocalDate.of(1985, 1, 15));
    assertThat(batch.appointments())
        .extracting(a -> a.sourceKey(), a -> a.status(), a -> a.start().orElseThrow())
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(
                "fhir:Appointment/athena-1050322",
                "cancelled",
                Instant.parse("2020-06-02T14:00:00Z")),
            org.assertj.core.groups.Tuple.tuple(
                "fhir:Appointment/athena-1115846",
                "cancelled",
                Instant.parse("2020-06-02T12:15:00Z")));
    assertThat(batch.appointments())
        .allSatisfy(a -> assertThat(a.patientSourceKey()).isEqualTo("fhir:Patient/athena-7965"));
    assertThat(changes.cursors()).containsKeys("Patient", "Appointment");
  }

  static org.careloop.app.PatientRecord patient(ImportBatch b, String key) {
    return b.patients().stream().filter(p -> p.sourceKey().equals(key)).findFirst().orElseThrow();
  }

  @Test
  void athenaNetsCodes_areFhirStatuses_anOpenSlotIsNoAppointment_andABadDateIsLeftOutWithANote() {
    athena.patient(
        json(
            """
            {"patientid": "50", "firstname": "Ivy", "lastname": "Stone", "dob": "12/01/1966",
             "mobilephone": "(617) 555-0150", "homephone": "617-555-0151",
             "consenttotext": false, "state": "CA"}
            """));
    String template =
        """
        {"appointmentid": "%s", "appointmentstatus": "%s", "date": "%s", "starttime": "09:30",
         "duration": 30, "patientid": "50", "appointmenttype": "PT", "cancelreasonnoshow": %s,
         "patientappointmenttypename": "Physical Therapy", "lastmodified": "12/01/2026 08:00:00"}
        """;
    athena.changed("appointments", json(template.formatted("1", "f", "12/20/2026", false)));
    athena.changed("appointments", json(template.formatted("2", "x", "11/20/2026", true)));
    athena.changed("appointments", json(template.formatted("3", "3", "11/21/2026", false)));
    athena.changed("appointments", json(template.formatted("4", "2", "12/02/2026", false)));
    athena.changed(
        "appointments",
        json(
            """
            {"appointmentid": "5", "appointmentstatus": "o", "date": "12/22/2026",
             "starttime": "10:00", "duration": 15}
            """));
    athena.changed("appointments", json(template.formatted("6", "f", "2026-12-24", false)));

    var batch = client.changes(c, Map.of()).batch();

    assertThat(batch.appointments())
        .extracting(a -> a.sourceKey().replace("fhir:Appointment/athena-", ""), a -> a.status())
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("1", "booked"),
            org.assertj.core.groups.Tuple.tuple("2", "noshow"),
            org.assertj.core.groups.Tuple.tuple("3", "fulfilled"),
            org.assertj.core.groups.Tuple.tuple("4", "checked-in"));
    assertThat(batch.appointments())
        .filteredOn(a -> a.sourceKey().endsWith("-1"))
        .singleElement()
        .satisfies(a -> {
          // 09:30 on the practice's clock (New York, winter): 14:30 UTC.
          assertThat(a.start()).contains(Instant.parse("2026-12-20T14:30:00Z"));
          assertThat(a.kind()).contains(org.careloop.core.StepKind.THERAPY);
        });
    assertThat(batch.warnings())
        .anySatisfy(w ->
            assertThat(w)
                .contains("cannot take (athenahealth appointment 6.date)")
                .doesNotContain("2026-12-24"));
    // No consent to texts: her numbers are to call, never to text.
    var ivy = patient(batch, "fhir:Patient/athena-50");
    assertThat(ivy.mobile()).isEmpty();
    assertThat(ivy.voicePhone()).contains("+16175550150");
  }

  @Test
  void aReadCutOffBeforeItsImport_isReadAgain_andALaterPollReadsOnlyWhatIsNew() {
    athena.patient(
        json(
            """
            {"patientid": "60", "firstname": "Omar", "lastname": "Haddad",
             "mobilephone": "6175550160", "consenttotext": true}
            """));
    String template =
        """
        {"appointmentid": "%s", "appointmentstatus": "f", "date": "12/20/2026",
         "starttime": "11:00", "duration": 20, "patientid": "60", "appointmenttype": "Lab"}
        """;
    for (int i = 0; i < 3; i++) athena.changed("appointments", json(template.formatted("6" + i)));

    var first = client.changes(c, Map.of());
    assertThat(first.matched()).containsEntry("Appointment", 3);
    // careloop stopped before importing: its cursors did not move. athenaNet has marked the three
    // processed, yet the next poll reads them again.
    var again = client.changes(c, Map.of());
    assertThat(again.matched()).containsEntry("Appointment", 3);

    // Imported this time: the cursors moved. What changes next is all the poll after reads.
    var moved = again.cursors();
    athena.changed("appointments", json(template.formatted("69")));
    var later =
        client.changes(
            c,
            Map.of(
                "Appointment",
                java.util.Objects.requireNonNull(moved.get("Appointment"))
                    .plus(AthenaEhrClient.OVERLAP)
                    .plusSeconds(120),
                "Patient",
                java.util.Objects.requireNonNull(moved.get("Patient"))
                    .plus(AthenaEhrClient.OVERLAP)
                    .plusSeconds(120)));
    assertThat(later.matched()).containsEntry("Appointment", 1);
    assertThat(later.batch().appointments())
        .singleElement()
        .satisfies(a -> assertThat(a.sourceKey()).isEqualTo("fhir:Appointment/athena-69"));
    // One token for all of it: kept until shortly before its hour is up.
    assertThat(athena.tokensGiven()).isEqualTo(1);
  }

  @Test
  void aFeedLongerThanAPage_isReadToItsEnd() {
    athena.patient(json("{\"patientid\": \"70\", \"firstname\": \"Lia\", \"lastname\": \"Moss\"}"));
    for (int i = 0; i < 2500; i++)
      athena.changed(
          "appointments",
          json(
              """
              {"appointmentid": "%d", "appointmentstatus": "f", "date": "12/20/2026",
               "starttime": "11:00", "duration": 20, "patientid": "70"}
              """
                  .formatted(100000 + i)));
    var changes = client.changes(c, Map.of());
    assertThat(changes.matched()).containsEntry("Appointment", 2500);
    assertThat(changes.batch().appointments()).hasSize(2500);
  }

  @Test
  void aWrongSecret_isRefusedAtTheTokenEndpoint_andTheCheckSaysSo() {
    var wrong = connection("CARELOOP_TEST_ATHENA_WRONG");
    assertThatThrownBy(() -> client.changes(wrong, Map.of()))
        .isInstanceOf(EhrClient.Unreachable.class)
        .hasMessageContaining("answered 401 invalid_client")
        .hasMessageNotContaining("not-it");
    assertThat(client.check(wrong)).singleElement().satisfies(ch -> assertThat(ch.ok()).isFalse());
    var checks = client.check(c);
    assertThat(checks).allSatisfy(ch -> assertThat(ch.ok()).as(ch.step()).isTrue());
    assertThat(checks).anySatisfy(ch -> assertThat(ch.detail()).contains("not subscribed yet"));
  }
}
