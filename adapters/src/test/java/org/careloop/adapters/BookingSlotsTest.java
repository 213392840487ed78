package org.careloop.adapters;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.careloop.adapters.fhir.FhirSlotSource;
import org.careloop.app.Practice;
import org.careloop.app.engine.Engine;
import org.careloop.app.messaging.Replies;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Slot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * BOOK offers the next open times when the practice has a slot source: a FHIR Slot search against
 * the EHR (a local WireMock standing in for its FHIR API, answering with HAPI-built resources).
 */
class BookingSlotsTest {
  static final Instant T0 = BadInputTest.NOW;
  WireMockServer ehr;

  @BeforeEach
  void start() {
    ehr = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    ehr.start();
  }

  @AfterEach
  void stop() {
    ehr.stop();
  }

  private static Slot slot(String id, Instant start, Slot.SlotStatus status) {
    var s = new Slot();
    s.setId(id);
    s.setSchedule(new Reference("Schedule/dr-m"));
    s.setStatus(status);
    s.setStart(Date.from(start));
    s.setEnd(Date.from(start.plusSeconds(1800)));
    return s;
  }

  private void answerSlots(Slot... slots) {
    var bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
    for (var s : slots) bundle.addEntry().setResource(s);
    ehr.stubFor(
        get(urlPathEqualTo("/fhir/Slot"))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/fhir+json")
                    .withBody(
                        FhirContext.forR4Cached().newJsonParser().encodeResourceToString(bundle))));
  }

  private Replies replies(org.careloop.adapters.jdbc.JdbcStore store) {
    var p = store.inTransaction(tx -> tx.practice("default"));
    store.upsertPractice(
        new Practice(
            p.id(),
            p.name(),
            p.zone(),
            p.phone(),
            p.bookingUrl(),
            p.smsSender(),
            p.emailFrom(),
            false,
            Optional.of(ehr.baseUrl() + "/fhir/Slot?schedule=Schedule/dr-m")));
    return new Replies(
        store,
        new Engine(Shipped.protocols()),
        "default",
        new FhirSlotSource(Optional.of("ehr-token")));
  }

  @Test
  void book_offersTheNextFreeSlots_inThePracticesZone_soonestFirst() throws Exception {
    try (var db = TestDatabases.open("h2")) {
      var store = TestDatabases.storeWithPractice(db);
      DispatcherTest.importRow(store, "MRN1,Sarah Lee,617-555-0101,,Dr. M,lab,,2026-04-01");
      // T0 is 2026-03-02T15:00Z (10:00 in New York). One slot the server should not have sent
      // (busy), out of order.
      answerSlots(
          slot("s3", Instant.parse("2026-03-04T19:30:00Z"), Slot.SlotStatus.FREE),
          slot("s1", Instant.parse("2026-03-03T14:00:00Z"), Slot.SlotStatus.FREE),
          slot("s2", Instant.parse("2026-03-03T15:00:00Z"), Slot.SlotStatus.BUSY),
          slot("s4", Instant.parse("2026-03-05T13:15:00Z"), Slot.SlotStatus.FREE),
          slot("s5", Instant.parse("2026-03-06T13:15:00Z"), Slot.SlotStatus.FREE));
      var book = replies(store).smsReceived("+16175550101", "book", "SM-in-1", T0);
      assertThat(book.answer())
          .contains(
              "Riverside Family Medicine: open times Tue Mar 3, 9:00 AM; Wed Mar 4, 2:30 PM;"
                  + " Thu Mar 5, 8:15 AM. Book here: https://book.example.org/riverside");
      ehr.verify(
          getRequestedFor(urlPathEqualTo("/fhir/Slot"))
              .withQueryParam("schedule", equalTo("Schedule/dr-m"))
              .withQueryParam("status", equalTo("free"))
              .withQueryParam("start", equalTo("ge" + T0))
              .withQueryParam("_sort", equalTo("start"))
              .withQueryParam("_count", equalTo("3"))
              .withHeader("Authorization", equalTo("Bearer ehr-token")));
      assertThat(book.planId()).isPresent();
    }
  }

  @Test
  void book_whenTheEhrFails_stillAnswersWithTheLink() throws Exception {
    try (var db = TestDatabases.open("h2")) {
      var store = TestDatabases.storeWithPractice(db);
      DispatcherTest.importRow(store, "MRN1,Sarah Lee,617-555-0101,,Dr. M,lab,,2026-04-01");
      ehr.stubFor(get(urlPathEqualTo("/fhir/Slot")).willReturn(aResponse().withStatus(503)));
      var book = replies(store).smsReceived("+16175550101", "BOOK", "SM-in-1", T0);
      assertThat(book.answer())
          .contains("Riverside Family Medicine: book here: https://book.example.org/riverside");
      assertThat(book.planId()).isPresent();
    }
  }
}
