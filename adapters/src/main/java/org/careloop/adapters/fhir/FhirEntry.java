package org.careloop.adapters.fhir;

import java.util.Optional;
import org.careloop.app.InputRejected;
import org.hl7.fhir.r4.model.Resource;

/** One resource of a FHIR document, with its full URL and where it sits (for errors). */
record FhirEntry(Resource resource, Optional<String> fullUrl, String where) {
  String key() {
    String id = resource.getIdElement().getIdPart();
    // HAPI gives a bundle entry's resource its fullUrl as id when that is a urn:uuid.
    if (id == null || id.isBlank()) id = fullUrl.orElse("");
    if (id.startsWith("urn:uuid:") || id.startsWith("urn:oid:"))
      id = id.substring(id.lastIndexOf(':') + 1);
    // FHIR ids are at most 64 characters.
    if (id.length() > 64)
      throw new InputRejected(
          where + ".id", "is " + id.length() + " characters; a FHIR id is at most 64");
    return "fhir:" + resource.fhirType() + "/" + id;
  }

  String path() {
    return where + " (" + key().substring(5) + ")";
  }
}
