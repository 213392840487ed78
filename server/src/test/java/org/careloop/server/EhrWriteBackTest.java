package org.careloop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.careloop.server.EhrPollingTest.put;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.careloop.adapters.jdbc.Database;
import org.careloop.app.messaging.EhrWriter;
import org.careloop.core.MilestoneStatus;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Write-back into a real FHIR server (HAPI FHIR's JPA server): a step kept at the EHR makes
 * careloop write a chart note (a DocumentReference) through the outbox; a provider message is a
 * Communication; each is read back from the server, valid R4 by HAPI's validator, and written once
 * however often it is sent (a conditional create on careloop's identifier).
 */
class EhrWriteBackTest {
  static final FhirContext R4 = FhirContext.forR4Cached();
  static FhirValidator validator;
  static String fhir = "";

  @BeforeAll
  static void start() throws Exception {
    fhir = FhirTestServerProcess.base();
    EhrPollingTest.fhir = fhir;
    var support =
        new ValidationSupportChain(
            new ca.uhn.fhir.context.support.DefaultProfileValidationSupport(R4),
            new org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport(R4),
            new InMemoryTerminologyServerValidationSupport(R4),
            new CommonCodeSystemsTerminologyService(R4));
    var instance = new FhirInstanceValidator(support);
    // US Core's profiles are not loaded here: the base R4 rules are checked.
    instance.setErrorForUnknownProfiles(false);
    validator = R4.newValidator().registerValidatorModule(instance);
  }

  /** What the validator finds wrong (errors and fatal errors only). */
  static List<String> errors(Resource r) {
    return validator.validateWithResult(r).getMessages().stream()
        .filter(m ->
            m.getSeverity() == ResultSeverityEnum.ERROR
                || m.getSeverity() == ResultSeverityEnum.FATAL)
        .map(m -> m.getLocationString() + ": " + m.getMessage())
        .toList();
  }

  /** The resources of {@code type} at the server with careloop's identifier {@code value}. */
  static Bundle written(String type, String value) throws Exception {
    String url =
        fhir
            + "/"
            + type
            + "?identifier="
            + URLEncoder.encode(EhrWriter.IDENTIFIER_SYSTEM + "|" + value, StandardCharsets.UTF_8);
    var r =
        EhrPollingTest.HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).header("Cache-Control", "no-cache").build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return R4.newJsonParser().parseResource(Bundle.class, r.body());
  }

  @Test
  void aStepKeptAtTheEhr_writesAValidNoteBack_once(@TempDir Path dir) throws Exception {
    String id = Long.toString(System.nanoTime(), 36);
    String family = "Written" + id.replaceAll("[0-9]", "").toLowerCase(java.util.Locale.ROOT);
    LocalDate due = LocalDate.now(ZoneOffset.UTC).plusDays(10);
    put(
        "Patient",
        "pat-" + id,
        """
        {"resourceType": "Patient", "id": "pat-%s", "name": [{"family": "%s", "given": ["Ada"]}],
         "telecom": [{"system": "phone", "value": "(617) 555-0177", "use": "mobile"}]}
        """
            .formatted(id, family));
    put(
        "ServiceRequest",
        "lab-" + id,
        """
        {"resourceType": "ServiceRequest", "id": "lab-%s", "status": "active", "intent": "order",
         "code": {"text": "Lipid panel"}, "subject": {"reference": "Patient/pat-%s"},
         "occurrenceDateTime": "%s"}
        """
            .formatted(id, id, due));
    String db = Database.h2Url(dir);
    Instant start = due.minusDays(1).atTime(15, 0).toInstant(ZoneOffset.UTC);
    String appointment =
        """
        {"resourceType": "Appointment", "id": "appt-%s", "status": "%s",
         "basedOn": [{"reference": "ServiceRequest/lab-%s"}], "start": "%s", "end": "%s",
         "participant": [{"actor": {"reference": "Patient/pat-%s"}, "status": "accepted"}]}
        """;
    try (var c = Careloop.open(db, Optional.empty(), Optional.empty(), 2)) {
      var now = c.clock().instant();
      c.ehrSetup()
          .connect(
              "ada",
              new org.careloop.app.EhrConnection(
                  Careloop.DEFAULT_PRACTICE,
                  "main",
                  fhir,
                  org.careloop.app.EhrConnection.Auth.NONE,
                  Optional.empty(),
                  Optional.empty(),
                  Optional.empty(),
                  Optional.empty(),
                  Optional.empty(),
                  now,
                  Optional.empty()),
              now);
      c.ehrPolling().poll(Careloop.DEFAULT_PRACTICE, "main", now);
      put(
          "Appointment",
          "appt-" + id,
          appointment.formatted(id, "booked", id, start, start.plus(30, ChronoUnit.MINUTES), id));
      c.ehrPolling().poll(Careloop.DEFAULT_PRACTICE, "main", now);
      // The patient came: the EHR marks the visit fulfilled; the next poll reads it.
      put(
          "Appointment",
          "appt-" + id,
          appointment.formatted(
              id, "fulfilled", id, start, start.plus(30, ChronoUnit.MINUTES), id));
      c.ehrPolling().poll(Careloop.DEFAULT_PRACTICE, "main", now);
      var plan =
          c.read().plans(Optional.of(Careloop.DEFAULT_PRACTICE)).stream()
              .filter(p -> p.patient().endsWith(family))
              .findFirst()
              .orElseThrow();
      assertThat(c.read().plan(plan.id()).orElseThrow().state().milestones())
          .extracting(m -> m.status())
          .containsExactly(MilestoneStatus.COMPLETED);
      c.runner().runDue(c.clock().instant());

      var outbox =
          c.read().outbox().stream()
              .filter(o -> o.planId().equals(plan.id()) && o.kind().equals("EHR_NOTE"))
              .toList();
      assertThat(outbox).hasSize(1);
      String key = outbox.get(0).key();
      assertThat(outbox.get(0).status()).isEqualTo("SENT");
      var found = written("DocumentReference", key);
      assertThat(found.getEntry()).hasSize(1);
      var note = (DocumentReference) found.getEntry().get(0).getResource();
      assertThat(note.getSubject().getReference()).isEqualTo("Patient/pat-" + id);
      assertThat(
              new String(
                  note.getContentFirstRep().getAttachment().getData(), StandardCharsets.UTF_8))
          .startsWith("careloop: ")
          .contains("completed");
      assertThat(errors(note)).isEmpty();
      // Nothing of it went to the sandbox: it is in the EHR.
      assertThat(c.read().sandbox(1000)).noneMatch(m -> m.key().equals(key));

      // The same write again (a retry, a resend after a crash): still one resource, the same one.
      var writer = c.ehrWriter();
      var connection = c.ehrPolling().active(Careloop.DEFAULT_PRACTICE, "main");
      var again =
          writer.write(
              connection,
              new EhrWriter.WriteBack(
                  EhrWriter.Kind.NOTE, key, "Patient/pat-" + id, "careloop: again", false, now));
      assertThat(again)
          .isEqualTo("DocumentReference/" + note.getIdElement().getIdPart() + "/_history/1");
      assertThat(written("DocumentReference", key).getEntry()).hasSize(1);

      // A provider message: a Communication, urgent for worse symptoms, valid R4.
      String urgentKey = plan.id() + ":notify:worse:" + id;
      String ref =
          writer.write(
              connection,
              new EhrWriter.WriteBack(
                  EhrWriter.Kind.PROVIDER_MESSAGE,
                  urgentKey,
                  "Patient/pat-" + id,
                  "careloop: the patient reports worse symptoms.",
                  true,
                  now));
      var message =
          (Communication) written("Communication", urgentKey).getEntry().get(0).getResource();
      assertThat(ref)
          .isEqualTo("Communication/" + message.getIdElement().getIdPart() + "/_history/1");
      assertThat(message.getPriority()).isEqualTo(Communication.CommunicationPriority.URGENT);
      assertThat(message.getPayloadFirstRep().getContentStringType().getValue())
          .isEqualTo("careloop: the patient reports worse symptoms.");
      assertThat(errors(message)).isEmpty();
    }
  }

  /**
   * A practice that keeps its staff's work in the EHR's task list: a care gap's case for staff is
   * written there as a Task (for the patient, the role, the deadline), and when the step is booked
   * at the EHR the case resolves itself and the same Task is completed; valid R4 each time.
   */
  @Test
  void aCaseForStaff_isATaskInTheEhr_completedThereWhenTheStepIsBooked(@TempDir Path dir)
      throws Exception {
    String id = Long.toString(System.nanoTime(), 36);
    String family = "Tasked" + id.replaceAll("[0-9]", "").toLowerCase(java.util.Locale.ROOT);
    LocalDate due = LocalDate.now(ZoneOffset.UTC).plusDays(3);
    put(
        "Patient",
        "pat-" + id,
        """
        {"resourceType": "Patient", "id": "pat-%s", "name": [{"family": "%s", "given": ["Ben"]}]}
        """
            .formatted(id, family));
    put(
        "ServiceRequest",
        "lab-" + id,
        """
        {"resourceType": "ServiceRequest", "id": "lab-%s", "status": "active", "intent": "order",
         "code": {"text": "Lipid panel"}, "subject": {"reference": "Patient/pat-%s"},
         "occurrenceDateTime": "%s"}
        """
            .formatted(id, id, due));
    try (var c = Careloop.open(Database.h2Url(dir), Optional.empty(), Optional.empty(), 2)) {
      var now = c.clock().instant();
      c.ehrSetup().connect("ada", staffTasks(now), now);
      c.ehrPolling().poll(Careloop.DEFAULT_PRACTICE, "main", now);
      var plan =
          c.read().plans(Optional.of(Careloop.DEFAULT_PRACTICE)).stream()
              .filter(p -> p.patient().endsWith(family))
              .findFirst()
              .orElseThrow();
      // Weeks past due with no way to reach the patient (no phone, no email): staff must act.
      var later = due.plusDays(21).atTime(16, 0).toInstant(ZoneOffset.UTC);
      c.runner().runDue(later);
      var cases =
          c.read().tasks().stream()
              .filter(t -> t.planId().equals(plan.id()) && t.status().equals("OPEN"))
              .toList();
      assertThat(cases).isNotEmpty();
      var writes =
          c.read().outbox().stream()
              .filter(o -> o.planId().equals(plan.id()) && o.kind().equals("EHR_TASK"))
              .toList();
      // One write per change of a case (opened, then brought up to date by the second outreach
      // that could not go), each sent: a case's Task written again is not refused as a repeat.
      assertThat(writes).allMatch(o -> o.status().equals("SENT"), "sent");
      assertThat(
              writes.stream().map(o -> o.key().substring(0, o.key().indexOf(":ehr:"))).distinct())
          .hasSameSizeAs(cases);
      assertThat(writes).anyMatch(o -> o.key().contains(":ehr:updated:"));
      String caseKey = writes.get(0).key().substring(0, writes.get(0).key().indexOf(":ehr:"));
      var found = written("Task", caseKey);
      assertThat(found.getEntry()).hasSize(1);
      var task = (org.hl7.fhir.r4.model.Task) found.getEntry().get(0).getResource();
      assertThat(task.getStatus()).isEqualTo(org.hl7.fhir.r4.model.Task.TaskStatus.REQUESTED);
      assertThat(task.getFor().getReference()).isEqualTo("Patient/pat-" + id);
      assertThat(task.getRestriction().getPeriod().getEnd()).isNotNull();
      assertThat(task.getPerformerTypeFirstRep().getText()).isNotBlank();
      assertThat(errors(task)).isEmpty();
      // Nothing of it went to the sandbox.
      assertThat(c.read().sandbox(1000)).noneMatch(m -> m.key().startsWith(caseKey));

      // The EHR books the lab: the next poll reads it, the case resolves itself, and the same Task
      // is completed at the EHR (not a second one made).
      Instant start = later.plus(2, ChronoUnit.DAYS);
      put(
          "Appointment",
          "appt-" + id,
          """
          {"resourceType": "Appointment", "id": "appt-%s", "status": "booked",
           "basedOn": [{"reference": "ServiceRequest/lab-%s"}], "start": "%s", "end": "%s",
           "participant": [{"actor": {"reference": "Patient/pat-%s"}, "status": "accepted"}]}
          """
              .formatted(id, id, start, start.plus(30, ChronoUnit.MINUTES), id));
      c.ehrPolling().poll(Careloop.DEFAULT_PRACTICE, "main", later);
      c.runner().runDue(later.plusSeconds(60));
      var after = written("Task", caseKey);
      assertThat(after.getEntry()).hasSize(1);
      var done = (org.hl7.fhir.r4.model.Task) after.getEntry().get(0).getResource();
      assertThat(done.getIdElement().getIdPart()).isEqualTo(task.getIdElement().getIdPart());
      assertThat(done.getStatus()).isEqualTo(org.hl7.fhir.r4.model.Task.TaskStatus.COMPLETED);
      assertThat(done.getBusinessStatus().getText()).startsWith("resolved: step booked");
      assertThat(errors(done)).isEmpty();
    }
  }

  /**
   * A provider review is a Flag on the patient at the EHR, active while the review is open and
   * inactive once it closes; written again, still one Flag. Valid R4.
   */
  @Test
  void aProviderReview_isAFlag_activeThenInactive_once(@TempDir Path dir) throws Exception {
    String id = Long.toString(System.nanoTime(), 36);
    put(
        "Patient",
        "pat-" + id,
        """
        {"resourceType": "Patient", "id": "pat-%s", "name": [{"family": "Flagged", "given": ["Cy"]}]}
        """
            .formatted(id));
    try (var c = Careloop.open(Database.h2Url(dir), Optional.empty(), Optional.empty(), 2)) {
      var now = c.clock().instant();
      c.ehrSetup().connect("ada", staffTasks(now), now);
      var writer = c.ehrWriter();
      var connection = c.ehrPolling().active(Careloop.DEFAULT_PRACTICE, "main");
      String key = "plan-" + id + ":provider-review:lab:2";
      var open =
          new org.careloop.app.Store.Tasks.CaseState(
              1,
              key,
              Careloop.DEFAULT_PRACTICE,
              "plan-" + id,
              "patient-" + id,
              "PROVIDER_REVIEW",
              "HIGH",
              "Provider review: 2 consecutive missed steps",
              "2 consecutive missed steps. Decide the next step for this plan.",
              "provider",
              now,
              now.plus(1, ChronoUnit.DAYS),
              Optional.empty(),
              Optional.empty());
      String ref =
          writer.write(
              connection,
              new EhrWriter.WriteBack(
                  EhrWriter.Kind.PROVIDER_REVIEW,
                  key,
                  "Patient/pat-" + id,
                  "careloop: review",
                  false,
                  now,
                  Optional.of(open)));
      var flag = (org.hl7.fhir.r4.model.Flag) written("Flag", key).getEntry().get(0).getResource();
      assertThat(ref).isEqualTo("Flag/" + flag.getIdElement().getIdPart() + "/_history/1");
      assertThat(flag.getStatus()).isEqualTo(org.hl7.fhir.r4.model.Flag.FlagStatus.ACTIVE);
      assertThat(flag.getCode().getText()).isEqualTo("Provider review: 2 consecutive missed steps");
      assertThat(flag.getSubject().getReference()).isEqualTo("Patient/pat-" + id);
      assertThat(errors(flag)).isEmpty();

      var closedAt = now.plus(2, ChronoUnit.HOURS);
      var closed =
          new org.careloop.app.Store.Tasks.CaseState(
              open.id(),
              open.key(),
              open.practiceId(),
              open.planId(),
              open.patientId(),
              open.lane(),
              open.priority(),
              open.title(),
              open.detail(),
              open.ownerRole(),
              open.createdAt(),
              open.respondBy(),
              Optional.of(closedAt),
              Optional.of("completed"));
      for (int i = 0; i < 2; i++)
        assertThat(
                writer.write(
                    connection,
                    new EhrWriter.WriteBack(
                        EhrWriter.Kind.PROVIDER_REVIEW,
                        key,
                        "Patient/pat-" + id,
                        "careloop: review",
                        false,
                        closedAt,
                        Optional.of(closed))))
            // The same Flag, at a newer version.
            .startsWith(ref.substring(0, ref.indexOf("/_history/") + "/_history/".length()))
            .isNotEqualTo(ref);
      var all = written("Flag", key);
      assertThat(all.getEntry()).hasSize(1);
      var ended = (org.hl7.fhir.r4.model.Flag) all.getEntry().get(0).getResource();
      assertThat(ended.getStatus()).isEqualTo(org.hl7.fhir.r4.model.Flag.FlagStatus.INACTIVE);
      assertThat(ended.getPeriod().getEnd())
          .isEqualTo(java.util.Date.from(closedAt.truncatedTo(ChronoUnit.SECONDS)));
      assertThat(errors(ended)).isEmpty();
    }
  }

  /** The default practice's connection "main" to the test server, keeping staff tasks there. */
  static org.careloop.app.EhrConnection staffTasks(Instant now) {
    return new org.careloop.app.EhrConnection(
        Careloop.DEFAULT_PRACTICE,
        "main",
        fhir,
        org.careloop.app.EhrConnection.Auth.NONE,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        now,
        Optional.empty(),
        true);
  }
}
