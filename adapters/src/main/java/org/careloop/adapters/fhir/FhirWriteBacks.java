package org.careloop.adapters.fhir;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import org.careloop.app.messaging.EhrWriter;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * The FHIR R4 resources careloop writes back: a chart note as a US Core {@code DocumentReference}
 * (a clinical note, LOINC 11506-3 progress note, the text as a plain-text attachment) and a message
 * to the provider as a {@code Communication} (a notification, urgent for worse symptoms). Each
 * carries careloop's identifier, which the EHR keeps one resource per.
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
    };
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
