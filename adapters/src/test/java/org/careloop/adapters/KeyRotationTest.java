package org.careloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;
import org.careloop.adapters.crypto.FieldCipher;
import org.careloop.adapters.jdbc.Database;
import org.careloop.adapters.jdbc.JdbcStore;
import org.careloop.adapters.jdbc.KeyRotation;
import org.careloop.adapters.jdbc.ReadModel;
import org.careloop.core.Channel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Key rotation: everything under the new key, resumable after a crash, opt-outs kept. */
class KeyRotationTest {
  static final Instant T0 = BadInputTest.NOW;
  static final FieldCipher OLD = TestDatabases.CIPHER;
  static final String NEW_KEY = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";
  static final FieldCipher NEW = FieldCipher.fromBase64(NEW_KEY);
  static final Instant UNTIL = Instant.now().plus(java.time.Duration.ofDays(60));

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void aRotationCutOffByACrash_resumes_andTheDatabaseReadsTheSameUnderTheNewKey(String kind)
      throws Exception {
    String url = TestDatabases.newUrl(kind, "rotate");
    String stranger;
    try (var db = Database.open(url, 4, OLD)) {
      var store = TestDatabases.storeWithPractice(db);
      DispatcherTest.importRow(
          store, "MRN1,Sarah Lee,617-555-0101,sarah@example.org,Dr. M,lab,,2026-04-01");
      DispatcherTest.importRow(store, "MRN2,Omar Haddad,617-555-0102,,Dr. M,referral,,2026-04-01");
      store.inTransaction(tx -> {
        tx.setOptOut(
            Channel.SMS, tx.addressKey(Channel.SMS, "+16175550101"), true, "SMS reply", T0);
        // A number that belongs to no patient and got no message: nothing says what it was.
        tx.setOptOut(
            Channel.SMS, tx.addressKey(Channel.SMS, "+16175550999"), true, "SMS reply", T0);
        return null;
      });
      stranger = store.inTransaction(tx -> tx.addressKey(Channel.SMS, "+16175550999"));
    }

    // The first run dies part way (a crash after a few batches).
    try (var db = Database.openForKeyRotation(url, 2, OLD)) {
      int[] steps = {0};
      assertThatThrownBy(() ->
              new KeyRotation(
                      db.dataSource(),
                      OLD,
                      NEW,
                      UNTIL,
                      step -> {
                        if (++steps[0] == 4) throw new IllegalStateException("crash");
                      })
                  .run())
          .hasMessage("crash");
    }
    // Until it is finished, nothing else uses the database, and no other new key may finish it.
    assertThatThrownBy(() -> Database.open(url, 2, OLD).close())
        .hasMessageContaining("key rotation of this database is unfinished");
    var other = FieldCipher.fromBase64("QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8=");
    try (var db = Database.openForKeyRotation(url, 2, OLD)) {
      assertThatThrownBy(() -> new KeyRotation(db.dataSource(), OLD, other, UNTIL, s -> {}).run())
          .isInstanceOf(KeyRotation.Refused.class);
      var outcome = new KeyRotation(db.dataSource(), OLD, NEW, UNTIL, s -> {}).run();
      assertThat(outcome.ledgerCarried()).isEqualTo(1);
      assertThat(outcome.ledgerUnmatched()).isEqualTo(1);
    }

    assertThatThrownBy(() -> Database.open(url, 2, OLD).close())
        .isInstanceOf(Database.KeyMismatch.class);
    try (var db = Database.open(url, 2, NEW)) {
      var store = new JdbcStore(db.dataSource(), NEW);
      assertThat(
              store.<Optional<String>>inTransaction(
                  tx -> tx.patientIdBySource("default", "csv:patient:MRN2")))
          .isPresent();
      assertThat(
              store.<Boolean>inTransaction(
                  tx -> tx.optedOut(Channel.SMS, tx.addressKey(Channel.SMS, "+16175550101"))))
          .isTrue();
      // The entry that could not be carried is kept as it was (reported, never deleted).
      assertThat(store.<Boolean>inTransaction(tx -> tx.optedOut(Channel.SMS, stranger))).isTrue();
      // Replies find the patient by the number they write from.
      assertThat(
              store.<java.util.List<String>>inTransaction(tx ->
                  tx.patientsByAddressKey(Channel.SMS, tx.addressKey(Channel.SMS, "+16175550102"))))
          .hasSize(1);
      var read = new ReadModel(db.dataSource(), NEW);
      assertThat(read.plans()).extracting(p -> p.patient()).contains("Sarah Lee", "Omar Haddad");
      var plan = read.plans().get(0).id();
      assertThat(read.plan(plan).orElseThrow().timeline()).isNotEmpty();
      assertThat(read.tasks()).allSatisfy(t -> assertThat(t.title()).isNotBlank());
    }
  }

  @org.junit.jupiter.api.Test
  void everyColumnTheCodeEncrypts_isReencryptedByARotation() throws Exception {
    var encrypted = new java.util.TreeSet<String>();
    var call = java.util.regex.Pattern.compile("(?:encrypt|rekeyed)\\(\\s*\"([a-z_]+\\.[a-z_]+)\"");
    try (var files = java.nio.file.Files.walk(java.nio.file.Path.of("src/main/java"))) {
      for (var f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        var m = call.matcher(java.nio.file.Files.readString(f));
        while (m.find()) encrypted.add(m.group(1));
      }
    }
    assertThat(encrypted).as("columns the code encrypts").hasSizeGreaterThan(20);
    // A setting, not a column: each rotation writes it anew under the new key (RetiredSigning).
    assertThat(encrypted.remove("careloop_setting.retired_signing")).isTrue();
    assertThat(org.careloop.adapters.jdbc.EncryptedColumns.all()).containsAll(encrypted);
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void linksSignedBeforeARotation_keepWorking_untilTheirDate(String kind) throws Exception {
    String url = TestDatabases.newUrl(kind, "links");
    String data = "token:unsubscribe:pl-1:intake:EMAIL";
    String before = OLD.sign(data);
    try (var db = Database.open(url, 2, OLD)) {
      TestDatabases.storeWithPractice(db);
    }
    try (var db = Database.openForKeyRotation(url, 2, OLD)) {
      new KeyRotation(db.dataSource(), OLD, NEW, UNTIL, s -> {}).run();
    }
    var reopened = FieldCipher.fromBase64(NEW_KEY);
    try (var db = Database.open(url, 2, reopened)) {
      assertThat(reopened.verify(data, before)).isTrue();
      assertThat(reopened.verify(data, NEW.sign(data))).isTrue();
      assertThat(reopened.verify("token:something else", before)).isFalse();
      new Queries(db.dataSource())
          .update(
              "update careloop_setting set setting_value = '2026-01-01T00:00:00Z'"
                  + " || substring(setting_value, position(' ' in setting_value))"
                  + " where setting_name = 'key.retired-signing'");
    }
    var afterItsDate = FieldCipher.fromBase64(NEW_KEY);
    try (var db = Database.open(url, 2, afterItsDate)) {
      assertThat(afterItsDate.verify(data, before)).isFalse();
    }
  }
}
