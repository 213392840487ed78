package org.careloop.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.careloop.adapters.crypto.FieldCipher;
import org.careloop.adapters.jdbc.Database;
import org.careloop.adapters.jdbc.EmbeddedFiles;

/**
 * Part of the composition root: which database careloop opens, and the key its patient data is
 * encrypted with. The rest of the server reaches the database only through {@link Careloop}.
 */
final class DatabaseSetup {
  private DatabaseSetup() {}

  /**
   * The database URL from the option, else CARELOOP_DB_URL, else the H2 file under ./careloop-data.
   */
  static String resolveUrl(Optional<String> option) {
    return option
        .or(() -> Optional.ofNullable(System.getenv("CARELOOP_DB_URL")).filter(s -> !s.isBlank()))
        .map(v -> v.startsWith("jdbc:") ? v : Database.h2Url(Path.of(v)))
        .orElseGet(() -> Database.h2Url(Path.of(Database.DEFAULT_DIR)));
  }

  /** The embedded H2 database in {@code dir}. */
  static String h2Url(Path dir) {
    return Database.h2Url(dir);
  }

  /** A database URL with any password hidden. */
  static String redact(String url) {
    return Database.redact(url);
  }

  /** The embedded database's server port answers on the loopback address only. */
  static void loopbackOnly() {
    EmbeddedFiles.loopbackOnly();
  }

  /**
   * The key patient data is encrypted with: CARELOOP_KEY (or -Dcareloop.key), base64 of 32 bytes. A
   * new embedded database without one gets a key file beside it; an embedded database that exists
   * already never gets a new key (its data, opt-outs and blind indexes are under the old).
   */
  static FieldCipher cipherFor(String url) {
    var configured =
        Optional.ofNullable(System.getenv("CARELOOP_KEY"))
            .or(() -> Optional.ofNullable(System.getProperty("careloop.key")))
            .filter(k -> !k.isBlank());
    if (configured.isPresent()) return FieldCipher.fromBase64(configured.get());
    var h2File = Database.h2File(url);
    if (h2File.isPresent()) {
      Path keyFile = h2File.get().resolveSibling("careloop.key");
      Path data = Path.of(h2File.get() + ".mv.db");
      if (!Files.exists(keyFile) && Files.exists(data))
        throw new IllegalStateException(
            "the key file "
                + keyFile
                + " is missing, but the database "
                + data
                + " holds data: restore careloop.key from the backup you made with the database"
                + " (or set CARELOOP_KEY). careloop never makes a new key for an existing"
                + " database.");
      return EmbeddedFiles.keyFile(keyFile);
    }
    throw new IllegalStateException(
        "set CARELOOP_KEY to the base64 of 32 random bytes (for example: openssl rand -base64 32):"
            + " careloop encrypts patient data with it and keeps it out of the database");
  }
}
