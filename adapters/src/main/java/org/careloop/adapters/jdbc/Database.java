package org.careloop.adapters.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;
import org.careloop.adapters.crypto.FieldCipher;
import org.flywaydb.core.Flyway;

/**
 * Opens careloop's database (H2 file by default, PostgreSQL by URL), migrates it, and keeps its
 * clock mode: a database is created with a real or a simulated clock and keeps it.
 */
public final class Database implements AutoCloseable {
  /** Where the default embedded database lives. */
  public static final String DEFAULT_DIR = "careloop-data";

  static {
    EmbeddedFiles.loopbackOnly();
  }

  private final HikariDataSource dataSource;
  private final String url;

  private Database(HikariDataSource dataSource, String url) {
    this.dataSource = dataSource;
    this.url = url;
  }

  /** The file (without H2's extension) of an embedded database URL; empty for other URLs. */
  public static Optional<Path> h2File(String url) {
    String prefix = "jdbc:h2:file:";
    if (!url.startsWith(prefix)) return Optional.empty();
    return Optional.of(Path.of(url.substring(prefix.length()).split(";", -1)[0]).toAbsolutePath());
  }

  /** The default embedded database under {@code dir}. */
  public static String h2Url(Path dir) {
    // AUTO_SERVER lets a second careloop command (plans, tasks, …) read the database while
    // serve or demo holds it; H2 accepts only local connections to it.
    return "jdbc:h2:file:" + dir.toAbsolutePath().resolve("careloop") + ";AUTO_SERVER=TRUE";
  }

  /**
   * Opens and migrates the database at {@code url}, after checking that {@code cipher} holds the
   * key its data was written with: a database never runs on another key (its opt-out ledger and
   * blind indexes would silently stop matching).
   *
   * @throws KeyMismatch when the key is not the database's
   */
  public static Database open(String url, int poolSize, FieldCipher cipher) {
    return open(url, poolSize, cipher, false);
  }

  /**
   * Opens the database for {@link KeyRotation} with its current key, even while a rotation is
   * unfinished (which every other open refuses).
   */
  public static Database openForKeyRotation(String url, int poolSize, FieldCipher current) {
    return open(url, poolSize, current, true);
  }

  private static Database open(String url, int poolSize, FieldCipher cipher, boolean rotating) {
    var config = new HikariConfig();
    String jdbcUrl = url;
    String upper = url.toUpperCase(java.util.Locale.ROOT);
    // H2's trace file would keep the text of failed statements, values included.
    if (url.startsWith("jdbc:h2:") && !upper.contains("TRACE_LEVEL_FILE"))
      jdbcUrl += ";TRACE_LEVEL_FILE=0";
    // H2 writes a commit to its file up to half a second later by default: a process killed in
    // between loses transactions it reported committed, such as a message marked SENDING just
    // before the call to Twilio, which would then be sent again. Each commit is written at once.
    if (url.startsWith("jdbc:h2:file:") && !upper.contains("WRITE_DELAY"))
      jdbcUrl += ";WRITE_DELAY=0";
    // Writing each commit at once leaves many small chunks behind (a 300-patient demo's file
    // reached 188 MB); the last close compacts them (6.7 MB) for up to a second.
    if (url.startsWith("jdbc:h2:file:") && !upper.contains("MAX_COMPACT_TIME"))
      jdbcUrl += ";MAX_COMPACT_TIME=1000";
    config.setJdbcUrl(jdbcUrl);
    config.setMaximumPoolSize(poolSize);
    config.setAutoCommit(false);
    config.setPoolName("careloop");
    config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    var file = h2File(url);
    if (url.startsWith("jdbc:h2:")) config.setUsername(EmbeddedFiles.USER);
    if (file.isPresent()) {
      EmbeddedFiles.privateFolder(
          java.util.Objects.requireNonNull(file.get().toAbsolutePath().getParent()));
      config.setPassword(EmbeddedFiles.password(jdbcUrl, file.get()));
    }
    HikariDataSource ds;
    try {
      ds = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot open database " + redact(url) + ": " + rootMessage(e), e);
    }
    try {
      KeyCheck.verify(ds, cipher);
      migrations(ds, cipher).load().migrate();
      KeyCheck.record(ds, cipher);
      if (!rotating) {
        refuseUnfinishedRotation(ds);
        // Links handed out under the key before the last rotation, while they are honoured.
        RetiredSigning.load(ds, cipher, Instant.now());
      }
      file.ifPresent(EmbeddedFiles::privateFiles);
    } catch (RuntimeException e) {
      ds.close();
      throw e;
    }
    return new Database(ds, url);
  }

  private static void refuseUnfinishedRotation(DataSource ds) {
    try (var c = ds.getConnection()) {
      var marker = KeyRotation.unfinished(c);
      c.rollback();
      if (marker.isPresent())
        throw new IllegalStateException(
            "a key rotation of this database is unfinished: run 'careloop key rotate' again with"
                + " the same new key; nothing else may use the database until it is done");
    } catch (SQLException e) {
      throw new JdbcStore.DataAccessFailure(e);
    }
  }

  /** careloop's migrations, SQL and Java, over {@code ds}. */
  private static org.flywaydb.core.api.configuration.FluentConfiguration migrations(
      DataSource ds, FieldCipher cipher) {
    return Flyway.configure()
        .dataSource(ds)
        .locations("classpath:db/migration")
        .javaMigrations(
            new V9__Source_keys_by_practice(cipher),
            new V11__Audit_chain(),
            new V12__Encrypt_free_text(cipher));
  }

  /**
   * Migrates {@code ds} up to schema {@code version} only: a database as an earlier careloop left
   * it, for tests of the migrations that follow.
   */
  public static void migrateTo(DataSource ds, FieldCipher cipher, String version) {
    migrations(ds, cipher).target(version).load().migrate();
  }

  /** The key given is not the one this database's data was written with. */
  public static final class KeyMismatch extends IllegalStateException {
    KeyMismatch(String message) {
      super(message);
    }
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) t = t.getCause();
    return String.valueOf(t.getMessage());
  }

  /** The URL without a password. */
  public static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public String url() {
    return url;
  }

  /** The clock mode the database was created with, if it was set. */
  public Optional<String> clockMode() {
    return setting("clock.mode");
  }

  /** Sets the clock mode of a new database; refuses to change an existing one. */
  public void initClock(String mode, Instant simulatedStart) {
    var existing = clockMode();
    if (existing.isPresent()) {
      if (!existing.get().equals(mode)) {
        throw new IllegalStateException(
            "this database was created with a "
                + existing.get()
                + " clock; it cannot switch to "
                + mode);
      }
      return;
    }
    putSetting("clock.mode", mode);
    if (mode.equals("simulated")) putSetting("clock.now", simulatedStart.toString());
  }

  public Optional<String> setting(String name) {
    try (var c = dataSource.getConnection();
        var ps =
            c.prepareStatement(
                "select setting_value from careloop_setting where setting_name = ?")) {
      ps.setString(1, name);
      try (var rs = ps.executeQuery()) {
        var v = rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
        c.commit();
        return v;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public void putSetting(String name, String value) {
    try (var c = dataSource.getConnection()) {
      try (var up =
          c.prepareStatement(
              "update careloop_setting set setting_value = ? where setting_name = ?")) {
        up.setString(1, value);
        up.setString(2, name);
        if (up.executeUpdate() == 0) {
          try (var ins =
              c.prepareStatement(
                  "insert into careloop_setting (setting_name, setting_value) values (?, ?)")) {
            ins.setString(1, name);
            ins.setString(2, value);
            ins.executeUpdate();
          }
        }
      }
      c.commit();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
