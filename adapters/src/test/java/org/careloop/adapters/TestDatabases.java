package org.careloop.adapters;

import java.sql.DriverManager;
import java.time.ZoneId;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.careloop.adapters.jdbc.Database;
import org.careloop.adapters.jdbc.JdbcStore;
import org.careloop.app.Practice;

/**
 * Fresh, real databases for tests: an in-memory H2 and a new schema on the machine's PostgreSQL.
 * PostgreSQL is required: when it cannot be reached the test fails, it is never skipped.
 */
public final class TestDatabases {
  private static final AtomicInteger SEQ = new AtomicInteger();

  /** The test key from -Dcareloop.key (set by the build). */
  public static final org.careloop.adapters.crypto.FieldCipher CIPHER =
      org.careloop.adapters.crypto.FieldCipher.fromBase64(
          System.getProperty("careloop.key", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="));

  private TestDatabases() {}

  public static Stream<String> kinds() {
    return Stream.of("h2", "postgresql");
  }

  /** The PostgreSQL URL from -Dcareloop.test.pg (set by the build). */
  public static String pgUrl() {
    return Optional.ofNullable(System.getProperty("careloop.test.pg"))
        .orElse("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
  }

  /** A URL of a new, empty database of this kind (not yet opened or migrated). */
  public static String newUrl(String kind, String prefix) {
    String name = "t" + ProcessHandle.current().pid() + "_" + SEQ.incrementAndGet() + prefix;
    return switch (kind) {
      case "h2" -> "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1";
      case "postgresql" -> newPgSchema(name);
      default -> throw new IllegalArgumentException(kind);
    };
  }

  public static Database open(String kind) {
    int n = SEQ.incrementAndGet();
    String name = "t" + ProcessHandle.current().pid() + "_" + n + "_" + System.nanoTime() % 100000;
    String url =
        switch (kind) {
          case "h2" -> "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1";
          case "postgresql" -> newPgSchema(name);
          default -> throw new IllegalArgumentException(kind);
        };
    var db = Database.open(url, 4, CIPHER);
    DatabaseInvariants.opened(url);
    return db;
  }

  /** Creates a schema on the test PostgreSQL and returns a URL that uses it. */
  public static String newPgSchema(String name) {
    String base = pgUrl();
    try (var c = DriverManager.getConnection(base)) {
      c.createStatement().execute("create schema " + name);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(
          "PostgreSQL at "
              + base
              + " is required for the persistence tests and could not be reached: "
              + e.getMessage(),
          e);
    }
    return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + name;
  }

  public static JdbcStore storeWithPractice(Database db) {
    var store = new JdbcStore(db.dataSource(), CIPHER);
    store.upsertPractice(
        new Practice(
            "default",
            "Riverside Family Medicine",
            ZoneId.of("America/New_York"),
            Optional.of("+16175550100"),
            Optional.of("https://book.example.org/riverside")));
    return store;
  }

  /** The default practice and a second one, Lakeside Dental, to check one never sees the other. */
  public static JdbcStore storeWithTwoPractices(Database db) {
    var store = storeWithPractice(db);
    store.upsertPractice(
        new Practice(
            "lakeside",
            "Lakeside Dental",
            ZoneId.of("America/New_York"),
            Optional.empty(),
            Optional.empty()));
    return store;
  }
}
