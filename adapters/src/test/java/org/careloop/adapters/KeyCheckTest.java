package org.careloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.careloop.adapters.crypto.FieldCipher;
import org.careloop.adapters.jdbc.Database;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A database runs only on the key its data was written with. */
class KeyCheckTest {
  static final FieldCipher OTHER =
      FieldCipher.fromBase64(Base64.getEncoder().encodeToString(new byte[32]));

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void aDatabase_refusesAnotherKey_andKeepsACheckValueNotTheKey(String kind) throws Exception {
    String url = TestDatabases.newUrl(kind, "kc");
    try (var db = Database.open(url, 2, TestDatabases.CIPHER)) {
      var q = new Queries(db.dataSource());
      var stored =
          q.strings("select setting_value from careloop_setting where setting_name = 'key.check'");
      assertThat(stored).containsExactly(TestDatabases.CIPHER.checkValue());
      assertThat(stored.get(0))
          .doesNotContain(
              System.getProperty("careloop.key", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="));
    }
    assertThatThrownBy(() -> Database.open(url, 2, OTHER))
        .isInstanceOf(Database.KeyMismatch.class)
        .hasMessageContaining("does not match this database");
    // The right key still opens it.
    Database.open(url, 2, TestDatabases.CIPHER).close();
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void aDatabaseFromBeforeTheCheck_withData_isCheckedByDecryptingIt(String kind) throws Exception {
    String url = TestDatabases.newUrl(kind, "kc");
    try (var db = Database.open(url, 2, TestDatabases.CIPHER)) {
      TestDatabases.storeWithPractice(db);
      var f =
          new org.careloop.adapters.csv.WeeklyExportReader(
              "default", java.time.ZoneId.of("America/New_York"), "US");
      new org.careloop.app.intake.Importer(
              new org.careloop.adapters.jdbc.JdbcStore(db.dataSource(), TestDatabases.CIPHER),
              new org.careloop.app.engine.Engine(Shipped.protocols()),
              Shipped.DEFAULT)
          .importBatch(
              f.read(
                  BadInputTest.HEADER + "MRN1,Ana Diaz,617-555-0101,,Dr. M,lab,,2026-04-01\n",
                  "a.csv",
                  BadInputTest.NOW),
              BadInputTest.NOW);
      try (var c = db.dataSource().getConnection()) {
        c.createStatement()
            .execute("delete from careloop_setting where setting_name = 'key.check'");
        c.commit();
      }
    }
    assertThatThrownBy(() -> Database.open(url, 2, OTHER)).isInstanceOf(Database.KeyMismatch.class);
    try (var db = Database.open(url, 2, TestDatabases.CIPHER)) {
      assertThat(
              new Queries(db.dataSource())
                  .strings(
                      "select setting_value from careloop_setting where setting_name = 'key.check'"))
          .containsExactly(TestDatabases.CIPHER.checkValue());
    }
  }
}
