package org.careloop.adapters;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.careloop.app.EhrConnection;
import org.careloop.app.intake.EhrClient;
import org.careloop.app.intake.ImportBatch;

/**
 * Each connection asked through the client of the API it speaks (FHIR, Healthie's or
 * athenahealth's).
 */
public final class EhrClients implements EhrClient {
  private final EhrClient fhir;
  private final EhrClient healthie;
  private final EhrClient athena;

  public EhrClients(EhrClient fhir, EhrClient healthie, EhrClient athena) {
    this.fhir = fhir;
    this.healthie = healthie;
    this.athena = athena;
  }

  private EhrClient of(EhrConnection c) {
    return switch (c.api()) {
      case FHIR -> fhir;
      case HEALTHIE -> healthie;
      case ATHENA -> athena;
    };
  }

  @Override
  public Changes changes(EhrConnection c, Map<String, Instant> cursors) {
    return of(c).changes(c, cursors);
  }

  @Override
  public ImportBatch fetch(EhrConnection c, String focus) {
    return of(c).fetch(c, focus);
  }

  /** Only FHIR notifications carry resources, so only FHIR's reader is asked. */
  @Override
  public Optional<Instant> lastUpdated(String resourceJson) {
    return fhir.lastUpdated(resourceJson);
  }

  @Override
  public ImportBatch read(EhrConnection c, String resourceJson, String source) {
    return of(c).read(c, resourceJson, source);
  }

  @Override
  public List<Check> check(EhrConnection c) {
    return of(c).check(c);
  }
}
