package org.careloop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.careloop.adapters.jdbc.Database;
import org.careloop.adapters.jdbc.EmbeddedFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded database is the account's own: folder 700, files 600, a password no one else has,
 * H2's AUTO_SERVER port on the loopback address only, and no trace file with statement text.
 */
class EmbeddedDatabaseTest {
  static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  /** The local addresses (hex, as /proc/net lists them) listening on {@code port}. */
  static List<String> listeners(int port) throws Exception {
    var found = new ArrayList<String>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      for (String line :
          Files.readAllLines(Path.of(table))
              .subList(1, Files.readAllLines(Path.of(table)).size())) {
        var f = line.trim().split("\\s+");
        var local = f[1].split(":");
        if (f[3].equals("0A") && Integer.parseInt(local[1], 16) == port) found.add(local[0]);
      }
    }
    return found;
  }

  static boolean loopback(String hex) {
    // 127.0.0.1 as IPv4, as IPv4-mapped IPv6 (::ffff:127.0.0.1), and ::1, in /proc/net's byte
    // order.
    return hex.equals("0100007F")
        || hex.equals("0000000000000000FFFF00000100007F")
        || hex.equals("00000000000000000000000001000000");
  }

  @Test
  void aDatabaseFromBeforePasswords_getsOne_andServeKeepsItsFilesAndPortPrivate(@TempDir Path dir)
      throws Exception {
    Path folder = dir.resolve("db");
    String url = Database.h2Url(folder);
    // What an earlier careloop left: a database whose user "sa" has no password, folder 755.
    Opened.careloop(url, Optional.empty(), Optional.empty(), 2).close();
    Path stored = folder.resolve(EmbeddedFiles.PASSWORD_FILE);
    try (var c = DriverManager.getConnection(url, "sa", Files.readString(stored).strip())) {
      c.createStatement().execute("create table left_before (id int)");
      c.createStatement().execute("alter user sa set password ''");
    }
    Files.delete(stored);
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path log = dir.resolve("serve.log");
    var serve = KillRestartTest.serve(url, log);
    try {
      TwilioWebhookTest.baseUrl(serve, log);
      assertThat(mode(folder)).isEqualTo("rwx------");
      Path password = folder.resolve(EmbeddedFiles.PASSWORD_FILE);
      assertThat(password).exists();
      try (var files = Files.list(folder)) {
        for (Path f : files.toList()) assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------");
      }
      // The old empty password no longer opens it; the stored one does, through serve's port.
      assertThatThrownBy(() -> DriverManager.getConnection(url, "sa", "").close())
          .isInstanceOf(SQLException.class);
      var props = new Properties();
      props.setProperty("user", "sa");
      props.setProperty("password", Files.readString(password).strip());
      try (var c = DriverManager.getConnection(url, props)) {
        assertThat(c.createStatement().executeQuery("select count(*) from left_before").next())
            .isTrue();
        // A failing statement leaves no trace file behind (it would hold the statement's text).
        assertThatThrownBy(() -> c.createStatement().executeQuery("select secret from nowhere"))
            .isInstanceOf(SQLException.class);
      }
      assertThat(folder.resolve("careloop.trace.db")).doesNotExist();

      // H2's AUTO_SERVER port, named in the lock file, listens on the loopback address only.
      var lock = new Properties();
      try (var in = Files.newInputStream(folder.resolve("careloop.lock.db"))) {
        lock.load(in);
      }
      int port = Integer.parseInt(lock.getProperty("server").replaceAll(".*:", ""));
      var listening = listeners(port);
      assertThat(listening)
          .as("listeners on " + port)
          .isNotEmpty()
          .allMatch(EmbeddedDatabaseTest::loopback);

      // A second command reads the running server's database.
      var plans = CommandLineTest.run("plans", "--db", url);
      assertThat(plans.code()).as(plans.err()).isZero();
    } finally {
      serve.destroyForcibly().waitFor();
    }
  }

  @Test
  void aNewDatabase_isPrivateFromItsFirstOpen(@TempDir Path dir) throws Exception {
    Path folder = dir.resolve("fresh");
    String url = Database.h2Url(folder);
    Opened.careloop(url, Optional.empty(), Optional.empty(), 2).close();
    assertThat(mode(folder)).isEqualTo("rwx------");
    assertThat(mode(folder.resolve(EmbeddedFiles.PASSWORD_FILE))).isEqualTo("rw-------");
    assertThat(mode(folder.resolve("careloop.mv.db"))).isEqualTo("rw-------");
    assertThatThrownBy(() -> DriverManager.getConnection(url, "sa", "").close())
        .isInstanceOf(SQLException.class);
    // Opened again, it keeps its password.
    Opened.careloop(url, Optional.empty(), Optional.empty(), 2).close();
  }
}
