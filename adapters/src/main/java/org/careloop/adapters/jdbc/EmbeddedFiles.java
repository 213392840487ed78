package org.careloop.adapters.jdbc;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Base64;
import org.careloop.adapters.crypto.FieldCipher;

/**
 * The embedded database's files kept to the account that runs careloop: its folder 700, its files
 * 600, and a random password for H2's user (a second careloop command reaches a running one through
 * H2's AUTO_SERVER port, which listens on the loopback address only). The password lives beside the
 * database in {@value #PASSWORD_FILE}, mode 600; a database made before it had one gets one on its
 * next open.
 */
public final class EmbeddedFiles {
  /** The file beside the database that holds H2's password. */
  public static final String PASSWORD_FILE = "careloop.db-password";

  /** H2's user. */
  static final String USER = "sa";

  private static final SecureRandom RANDOM = new SecureRandom();
  // H2's error code for a wrong user name or password.
  private static final int WRONG_USER_OR_PASSWORD = 28000;

  static {
    loopbackOnly();
  }

  private EmbeddedFiles() {}

  /**
   * Makes H2's AUTO_SERVER listen on the loopback address only (it listens on every interface
   * otherwise). H2 reads the setting once, when its first database opens, so careloop's entry
   * points call this before anything else.
   */
  public static void loopbackOnly() {
    if (System.getProperty("h2.bindAddress") == null)
      System.setProperty("h2.bindAddress", "127.0.0.1");
  }

  /** Creates the database's folder as private (700), or makes an existing one private. */
  public static void privateFolder(Path dir) {
    try {
      if (!Files.exists(dir)) {
        Files.createDirectories(dir.toAbsolutePath().getParent());
        try {
          Files.createDirectory(
              dir,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
          Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
          // made by another careloop process at the same moment
        }
      }
      setMode(dir, "rwx------");
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot create the database folder " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Makes every careloop file in the database's folder private (600). */
  static void privateFiles(Path dbFile) {
    Path dir = dbFile.toAbsolutePath().getParent();
    String base = dbFile.getFileName().toString();
    try (var files = Files.list(dir)) {
      for (Path f : files.toList())
        if (Files.isRegularFile(f)
            && (f.getFileName().toString().startsWith(base)
                || f.getFileName().toString().startsWith("careloop."))) setMode(f, "rw-------");
    } catch (IOException e) {
      throw new IllegalStateException("cannot protect the database files in " + dir, e);
    }
  }

  /**
   * The password of the embedded database {@code dbFile} (its path without H2's extension): read
   * from the file beside it, or made now. A database that exists without one (made by an earlier
   * careloop, with an empty password) is given the new password first; the new password is kept in
   * a pending file until then, so a crash in between loses neither.
   */
  static String password(String url, Path dbFile) {
    Path file = dbFile.resolveSibling(PASSWORD_FILE);
    Path pending = dbFile.resolveSibling(PASSWORD_FILE + ".new");
    try {
      if (Files.exists(file)) return Files.readString(file).strip();
      String fresh;
      if (Files.exists(pending)) {
        fresh = Files.readString(pending).strip();
      } else {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        fresh = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        writePrivate(pending, fresh + "\n");
      }
      if (Files.exists(Path.of(dbFile + ".mv.db"))) {
        try (var c = DriverManager.getConnection(url, USER, "");
            var st = c.createStatement()) {
          // The password is base64url: nothing in it needs quoting.
          st.execute("alter user " + USER + " set password '" + fresh + "'");
        } catch (SQLException e) {
          // Already changed before a crash: the pending password is the database's.
          if (e.getErrorCode() != WRONG_USER_OR_PASSWORD) throw e;
        }
      }
      Files.move(pending, file, StandardCopyOption.ATOMIC_MOVE);
      return fresh;
    } catch (IOException | SQLException e) {
      throw new IllegalStateException(
          "cannot set up the database password in " + file + ": " + e.getMessage(), e);
    }
  }

  /** Writes a file only its owner can read (600 from its creation on), replacing it atomically. */
  public static void writePrivate(Path file, String content) throws IOException {
    Path dir =
        java.util.Objects.requireNonNull(file.toAbsolutePath().getParent(), "a file's folder");
    Files.createDirectories(dir);
    Path tmp = dir.resolve(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp);
    }
    Files.writeString(tmp, content);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static void setMode(Path p, String mode) throws IOException {
    try {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the account's own folder protects it
    }
  }

  /**
   * The key file of an embedded database, created with 32 random bytes (readable by its owner only)
   * the first time. It lives beside the database, never in it.
   */
  public static FieldCipher keyFile(Path file) {
    try {
      if (!Files.exists(file)) {
        byte[] fresh = new byte[32];
        new java.security.SecureRandom().nextBytes(fresh);
        writePrivate(file, java.util.Base64.getEncoder().encodeToString(fresh) + "\n");
      }
      return FieldCipher.fromBase64(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read or create the key file " + file + ": " + e.getMessage(), e);
    }
  }
}
