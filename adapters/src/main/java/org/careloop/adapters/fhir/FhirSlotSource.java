package org.careloop.adapters.fhir;

import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.careloop.app.SlotSource;
import org.hl7.fhir.r4.model.Bundle;

/**
 * Free appointment times from the EHR's FHIR API: a search on {@code Slot} with {@code
 * status=free}, {@code start=ge…} and {@code _sort=start}, added to the practice's configured
 * search (which names the schedule, e.g. {@code https://ehr.example/fhir/Slot?schedule=
 * Schedule/12}).
 */
public final class FhirSlotSource implements SlotSource {
  private final Optional<String> bearerToken;

  /**
   * @param bearerToken an access token for the FHIR server, when it needs one
   */
  public FhirSlotSource(Optional<String> bearerToken) {
    this.bearerToken = bearerToken;
  }

  @Override
  public List<Slot> free(String search, Instant from, int limit) {
    int at = search.indexOf("/Slot");
    if (at < 0 || !(search.startsWith("http://") || search.startsWith("https://")))
      throw new IllegalArgumentException(
          "the slot search must be a FHIR Slot search URL such as"
              + " https://ehr.example/fhir/Slot?schedule=Schedule/12");
    var client = Fhir.CONTEXT.newRestfulGenericClient(search.substring(0, at));
    bearerToken.ifPresent(t -> client.registerInterceptor(new BearerTokenAuthInterceptor(t)));
    String url =
        search
            + (search.contains("?") ? "&" : "?")
            + "status=free&start=ge"
            + DateTimeFormatter.ISO_INSTANT.format(from)
            + "&_sort=start&_count="
            + limit;
    var bundle = client.search().byUrl(url).returnBundle(Bundle.class).execute();
    return bundle.getEntry().stream()
        .map(Bundle.BundleEntryComponent::getResource)
        .filter(org.hl7.fhir.r4.model.Slot.class::isInstance)
        .map(org.hl7.fhir.r4.model.Slot.class::cast)
        // The server's filter is trusted only as far as it can be checked here.
        .filter(s ->
            s.getStatus() == org.hl7.fhir.r4.model.Slot.SlotStatus.FREE
                && s.hasStart()
                && s.hasEnd())
        .map(s -> new SlotSource.Slot(s.getStart().toInstant(), s.getEnd().toInstant()))
        .filter(s -> !s.start().isBefore(from))
        .sorted(Comparator.comparing(SlotSource.Slot::start))
        .limit(limit)
        .toList();
  }
}
