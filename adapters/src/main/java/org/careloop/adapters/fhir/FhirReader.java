package org.careloop.adapters.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Optional;
import org.careloop.app.InputRejected;
import org.careloop.app.intake.ImportBatch;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.jspecify.annotations.Nullable;

/**
 * Reads FHIR R4 JSON (a Bundle of any type, or a single Patient, CarePlan, ServiceRequest,
 * Appointment or Encounter) into an {@link ImportBatch}. Invalid FHIR is rejected whole with the
 * file and the resource path.
 */
public final class FhirReader {
  private static final FhirContext CONTEXT = Fhir.CONTEXT;

  private final String practiceId;
  private final ZoneId zone;
  private final String region;

  /**
   * @param region the practice's country (ISO 3166), for phone numbers written without one
   */
  public FhirReader(String practiceId, ZoneId zone, String region) {
    this.practiceId = practiceId;
    this.zone = zone;
    this.region = region;
  }

  /** The practice's zone: where a date or time written without one is read. */
  public ZoneId zone() {
    return zone;
  }

  private static IParser parser() {
    var parser = CONTEXT.newJsonParser();
    parser.setParserErrorHandler(new StrictErrorHandler());
    return parser;
  }

  /**
   * Parses and translates one FHIR JSON document named {@code source} (a file name, "HTTP body").
   */
  public ImportBatch read(String json, String source) {
    checkJsonSyntax(json, source);
    Resource root;
    try {
      root = (Resource) parser().parseResource(json);
    } catch (DataFormatException | ClassCastException e) {
      throw new InputRejected(source, "not valid FHIR R4 JSON: " + e.getMessage(), e);
    }
    var entries = new ArrayList<FhirEntry>();
    if (root instanceof Bundle bundle) {
      var list = bundle.getEntry();
      for (int i = 0; i < list.size(); i++) {
        var e = list.get(i);
        if (!e.hasResource())
          throw new InputRejected(source + ": Bundle.entry[" + i + "]", "entry has no resource");
        entries.add(
            new FhirEntry(
                e.getResource(),
                Optional.ofNullable(e.getFullUrl()).filter(s -> !s.isBlank()),
                source + ": Bundle.entry[" + i + "].resource"));
      }
    } else {
      entries.add(new FhirEntry(root, Optional.empty(), source + ": " + root.fhirType()));
    }
    return new FhirDocument(practiceId, zone, region, source, entries).run();
  }

  private static final tools.jackson.databind.json.JsonMapper STRICT_JSON =
      tools.jackson.databind.json.JsonMapper.builder().build();

  /**
   * HAPI's parser lets some invalid JSON through (a number written "+3.0"); FHIR JSON must be JSON,
   * so a strict parser checks first and names the line and column.
   */
  private static void checkJsonSyntax(String json, String source) {
    try (var parser = STRICT_JSON.createParser(json)) {
      while (parser.nextToken() != null) {
        // read to the end: syntax errors throw
      }
    } catch (tools.jackson.core.JacksonException e) {
      var loc = e.getLocation();
      String at =
          loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
      throw new InputRejected(
          source, "not valid FHIR R4 JSON: not JSON" + at + ": " + e.getOriginalMessage(), e);
    }
  }

  static boolean isHighRisk(String s) {
    return s != null && s.toLowerCase(Locale.ROOT).replace('-', ' ').contains("high risk");
  }

  static String firstNonBlank(@Nullable String... values) {
    for (var v : values) if (v != null && !v.isBlank()) return v.trim();
    return "";
  }
}
