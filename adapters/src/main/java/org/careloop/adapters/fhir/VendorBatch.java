package org.careloop.adapters.fhir;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.careloop.app.EhrConnection;
import org.careloop.app.intake.ImportBatch;
import org.hl7.fhir.r4.model.Bundle;
import tools.jackson.databind.JsonNode;

/**
 * A vendor's records (Healthie's, athenahealth's) once turned into FHIR resources: read by the
 * practice's {@link FhirReader} as one input, exactly as any EHR's would be.
 */
public final class VendorBatch {
  private VendorBatch() {}

  /**
   * A field of a vendor's JSON record as text: a string or a number (vendors write ids both ways),
   * stripped; none when absent, null, blank or of another kind.
   */
  public static Optional<String> text(JsonNode record, String field) {
    var v = record.path(field);
    if (!v.isString() && !v.isNumber()) return Optional.empty();
    String s = v.asString().strip();
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }

  /** Nothing careloop follows, from {@code source} of the connection. */
  public static ImportBatch empty(EhrConnection c, String source) {
    return new ImportBatch(
        source + " from EHR connection " + c.name(),
        c.practiceId(),
        List.of(),
        List.of(),
        List.of(),
        List.of());
  }

  /**
   * The bundle read as one input named by {@code source} and the connection, with {@code notes}
   * (records left out before it was made) among its warnings.
   */
  public static ImportBatch read(
      FhirReader reader, EhrConnection c, Bundle bundle, String source, List<String> notes) {
    var read =
        bundle.getEntry().isEmpty()
            ? empty(c, source)
            : reader.read(
                Fhir.CONTEXT.newJsonParser().encodeResourceToString(bundle),
                source + " from EHR connection " + c.name());
    if (notes.isEmpty()) return read;
    var warnings = new ArrayList<>(read.warnings());
    warnings.addAll(notes);
    return new ImportBatch(
        read.source(),
        read.practiceId(),
        read.patients(),
        read.plans(),
        read.appointments(),
        warnings);
  }
}
