package org.careloop.bench;

import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** FHIR R4 JSON for the benchmark, written out as text: what an EHR feed would send. */
final class FhirBundles {
  private FhirBundles() {}

  /**
   * A collection Bundle of {@code n} patients, each with one active CarePlan of three activities.
   */
  static String collection(int first, int n, Instant start) {
    var sb = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[");
    for (int i = first; i < first + n; i++) {
      if (i > first) sb.append(',');
      sb.append("{\"fullUrl\":\"Patient/bench-")
          .append(i)
          .append("\",\"resource\":{\"resourceType\":\"Patient\",\"id\":\"bench-")
          .append(i)
          .append("\",\"name\":[{\"family\":\"Bench\",\"given\":[\"Pat")
          .append(i)
          .append(
              "\"]}],\"telecom\":[{\"system\":\"phone\",\"use\":\"mobile\",\"value\":\"617-555-")
          .append(String.format("%04d", i % 10000))
          .append("\"},{\"system\":\"email\",\"value\":\"p")
          .append(i)
          .append("@example.com\"}]}},");
      sb.append("{\"fullUrl\":\"CarePlan/bench-")
          .append(i)
          .append("\",\"resource\":{\"resourceType\":\"CarePlan\",\"id\":\"bench-")
          .append(i)
          .append(
              "\",\"status\":\"active\",\"intent\":\"order\",\"subject\":{\"reference\":\"Patient/bench-")
          .append(i)
          .append("\"},\"period\":{\"start\":\"")
          .append(start)
          .append("\"},\"activity\":[")
          .append(
              "{\"detail\":{\"code\":{\"text\":\"Hemoglobin A1c lab test\"},\"status\":\"not-started\"}},")
          .append(
              "{\"detail\":{\"code\":{\"text\":\"Physical therapy\"},\"status\":\"not-started\"}},")
          .append(
              "{\"detail\":{\"kind\":\"Appointment\",\"code\":{\"text\":\"Follow-up visit\"},\"status\":\"not-started\"}}]}}");
    }
    return sb.append("]}").toString();
  }

  private static final Pattern UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  /** The same bundle with every UUID changed for copy {@code k}, so it imports as new patients. */
  static String renumber(String json, int k) {
    Matcher m = UUID.matcher(json);
    return m.replaceAll(
        r -> r.group().substring(0, 24) + String.format("%04d", k) + r.group().substring(28));
  }
}
