package org.careloop.adapters.fhir;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import org.careloop.app.messaging.EhrWriter;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Task;

/**
 * The FHIR R4 resources careloop writes back: a chart note as a US Core {@code DocumentReference}
 * (a clinical note, LOINC 11506-3 progress note, the text as a plain-text attachment) and a message
 * to the provider as a {@code Communication} (a notification, urgent for worse symptoms), a
 * provider review as a {@code Flag} and a staff case as a {@code Task}. Each carries careloop's
 * identifier, which the EHR keeps one resource per.
 */
final class FhirWriteBacks {
  private FhirWriteBacks() {}

  static final String US_CORE_CATEGORY =
      "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category";
  static final String US_CORE_DOCUMENT =
      "http://hl7.org/fhir/us/core/StructureDefinition/us-core-documentreference";

  static Resource resource(EhrWriter.WriteBack w) {
    return switch (w.kind()) {
      case NOTE -> note(w);
      case PROVIDER_MESSAGE -> providerMessage(w);
      case PROVIDER_REVIEW -> flag(w);
      case STAFF_TASK -> task(w, w.of().orElseThrow().ownerRole());
    };
  }

  static final String FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category";

  /**
   * A provider review as a flag on the patient's chart: active while the case is open, inactive
   * with its end once it closes.
   */
  private static Flag flag(EhrWriter.WriteBack w) {
    var c = w.of().orElseThrow();
    var flag = new Flag();
    flag.addIdentifier().setSystem(EhrWriter.IDENTIFIER_SYSTEM).setValue(w.identifier());
    flag.setStatus(c.open() ? Flag.FlagStatus.ACTIVE : Flag.FlagStatus.INACTIVE);
    flag.addCategory()
        .addCoding()
        .setSystem(FLAG_CATEGORY)
        .setCode("clinical")
        .setDisplay("Clinical");
    flag.getCode().setText(c.title());
    flag.setSubject(new Reference(w.patient()));
    flag.getPeriod().setStart(Date.from(c.createdAt()));
    c.closedAt().ifPresent(at -> flag.getPeriod().setEnd(Date.from(at)));
    return flag;
  }

  /**
   * A case as a Task in the EHR's task list: for the patient, for the role that works it, due by
   * the case's respond-by; requested while open, completed (or cancelled) once it closes, with why
   * as its business status. For a provider review where the EHR takes no Flag, the same for the
   * provider.
   */
  static Task task(EhrWriter.WriteBack w, String role) {
    var c = w.of().orElseThrow();
    var task = new Task();
    task.addIdentifier().setSystem(EhrWriter.IDENTIFIER_SYSTEM).setValue(w.identifier());
    String reason = c.closeReason().orElse("");
    task.setStatus(
        c.open()
            ? Task.TaskStatus.REQUESTED
            : reason.equals("declined") || reason.startsWith("resolved: plan")
                ? Task.TaskStatus.CANCELLED
                : Task.TaskStatus.COMPLETED);
    task.getBusinessStatus().setText(c.open() ? "open" : reason.isEmpty() ? "closed" : reason);
    task.setIntent(Task.TaskIntent.ORDER);
    task.setPriority(
        switch (c.priority()) {
          case "URGENT" -> Task.TaskPriority.URGENT;
          case "HIGH" -> Task.TaskPriority.ASAP;
          default -> Task.TaskPriority.ROUTINE;
        });
    task.getCode().setText(c.lane().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
    task.setDescription(c.title() + ". " + c.detail());
    task.setFor(new Reference(w.patient()));
    task.setAuthoredOn(Date.from(c.createdAt()));
    // Never before it was made (a write that goes out on another clock than the case's).
    var modified = c.closedAt().orElse(w.at());
    task.setLastModified(Date.from(modified.isBefore(c.createdAt()) ? c.createdAt() : modified));
    if (!role.isBlank()) task.addPerformerType().setText(role);
    task.getRestriction().getPeriod().setEnd(Date.from(c.respondBy()));
    if (!c.open()) task.getExecutionPeriod().setEnd(Date.from(c.closedAt().orElseThrow()));
    return task;
  }

  private static DocumentReference note(EhrWriter.WriteBack w) {
    var doc = new DocumentReference();
    doc.getMeta().addProfile(US_CORE_DOCUMENT);
    doc.addIdentifier().setSystem(EhrWriter.IDENTIFIER_SYSTEM).setValue(w.identifier());
    doc.setStatus(Enumerations.DocumentReferenceStatus.CURRENT);
    doc.setDocStatus(DocumentReference.ReferredDocumentStatus.FINAL);
    doc.getType()
        .addCoding()
        .setSystem("http://loinc.org")
        .setCode("11506-3")
        .setDisplay("Progress note");
    doc.getType().setText("careloop follow-up note");
    doc.addCategory()
        .addCoding()
        .setSystem(US_CORE_CATEGORY)
        .setCode("clinical-note")
        .setDisplay("Clinical Note");
    doc.setSubject(new Reference(w.patient()));
    doc.setDate(Date.from(w.at()));
    doc.setDescription("careloop follow-up");
    doc.addContent()
        .getAttachment()
        .setContentType("text/plain; charset=utf-8")
        .setData(w.text().getBytes(StandardCharsets.UTF_8))
        .setTitle("careloop follow-up note");
    return doc;
  }

  private static Communication providerMessage(EhrWriter.WriteBack w) {
    var message = new Communication();
    message.addIdentifier().setSystem(EhrWriter.IDENTIFIER_SYSTEM).setValue(w.identifier());
    message.setStatus(Communication.CommunicationStatus.COMPLETED);
    message
        .addCategory()
        .addCoding()
        .setSystem("http://terminology.hl7.org/CodeSystem/communication-category")
        .setCode("notification")
        .setDisplay("Notification");
    message.setPriority(
        w.urgent()
            ? Communication.CommunicationPriority.URGENT
            : Communication.CommunicationPriority.ROUTINE);
    message.setSubject(new Reference(w.patient()));
    message.setSent(Date.from(w.at()));
    message.addPayload().setContent(new org.hl7.fhir.r4.model.StringType(w.text()));
    return message;
  }
}
