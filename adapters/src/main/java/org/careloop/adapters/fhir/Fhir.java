package org.careloop.adapters.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;

/** The application's one FHIR R4 context: it is costly to build and safe to share. */
public final class Fhir {
  public static final FhirContext CONTEXT = context();

  private Fhir() {}

  private static FhirContext context() {
    var context = FhirContext.forR4();
    var clients = context.getRestfulClientFactory();
    clients.setConnectTimeout(5_000);
    clients.setSocketTimeout(10_000);
    // Searches go straight to the server; no CapabilityStatement round trip first.
    clients.setServerValidationMode(ServerValidationModeEnum.NEVER);
    return context;
  }
}
