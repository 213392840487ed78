package org.careloop.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.careloop.adapters.crypto.FieldCipher;
import org.careloop.adapters.jdbc.Database;
import org.careloop.adapters.jdbc.EmbeddedFiles;
import org.careloop.adapters.jdbc.KeyRotation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code careloop key rotate}: the database re-encrypted under a new key. */
@Command(
    name = "key",
    description = "The key patient data is encrypted with.",
    subcommands = {KeyCommands.Rotate.class})
final class KeyCommands {
  @Command(
      name = "rotate",
      description =
          "Re-encrypts everything (values, blind indexes, the opt-out ledger) under a new key."
              + " Stop serve first. Resumable: after a crash, run it again with the same new key.")
  static final class Rotate implements Callable<Integer> {
    @CommandLine.Mixin CareloopCommand.DbMixin dbm;
    @CommandLine.Mixin AdminCommands.ActorMixin actor;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--new-key-file",
        description =
            "the new key (base64 of 32 bytes); made there when the file does not exist. Default for"
                + " an embedded database: careloop.key.new beside it")
    Optional<Path> newKeyFile = Optional.empty();

    @Override
    public Integer call() throws Exception {
      String url = DatabaseSetup.resolveUrl(dbm.db);
      var embedded = Database.h2File(url);
      Path keyFile =
          newKeyFile
              .or(() -> embedded.map(f -> f.resolveSibling("careloop.key.new")))
              .orElseThrow(() ->
                  new IllegalArgumentException(
                      "give --new-key-file: where the new key is (or is to be made); this"
                          + " database's key comes from CARELOOP_KEY"));
      if (!Files.exists(keyFile)) {
        byte[] fresh = new byte[32];
        new java.security.SecureRandom().nextBytes(fresh);
        EmbeddedFiles.writePrivate(keyFile, Base64.getEncoder().encodeToString(fresh) + "\n");
      }
      var fresh = FieldCipher.fromBase64(Files.readString(keyFile));
      var current = DatabaseSetup.cipherFor(url);
      var out = spec.commandLine().getOut();
      var err = spec.commandLine().getErr();
      boolean onTerminal = ImportCommand.Import.onTerminal();
      if (!current.checkValue().equals(fresh.checkValue())) {
        Optional<Database> opened;
        try {
          opened = Optional.of(Database.openForKeyRotation(url, 2, current));
        } catch (Database.KeyMismatch e) {
          // Rotated already (a crash came after the database's last step): only the files remain.
          Database.open(url, 2, fresh).close();
          opened = Optional.empty();
        }
        if (opened.isPresent()) {
          try (var db = opened.get()) {
            var outcome =
                new KeyRotation(
                        db.dataSource(),
                        current,
                        fresh,
                        // Unsubscribe links must work 30 days after their email; keep twice that.
                        Instant.now().plus(java.time.Duration.ofDays(60)),
                        step -> {
                          if (onTerminal) err.println("careloop: " + step);
                        })
                    .run();
            out.println(
                "re-encrypted "
                    + outcome.reencrypted()
                    + " value(s); "
                    + outcome.ledgerCarried()
                    + " opt-out(s) carried to the new key");
            if (outcome.ledgerUnmatched() > 0)
              out.println(
                  "note: "
                      + outcome.ledgerUnmatched()
                      + " opt-out(s) of addresses careloop no longer has (no patient's, no"
                      + " message's) could not be carried over");
          }
        }
      }
      if (embedded.isPresent()
          && newKeyFile.isEmpty()
          && System.getenv("CARELOOP_KEY") == null
          && System.getProperty("careloop.key") == null) {
        Path key = embedded.get().resolveSibling("careloop.key");
        String stamp =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss")
                .withZone(ZoneOffset.UTC)
                .format(Instant.now());
        Path retired = key.resolveSibling("careloop.key.retired-" + stamp);
        if (Files.exists(key)) Files.move(key, retired, StandardCopyOption.ATOMIC_MOVE);
        Files.move(keyFile, key, StandardCopyOption.ATOMIC_MOVE);
        out.println(
            "careloop.key holds the new key now; the old one is "
                + retired.getFileName()
                + ", for backups made before today. Back up the new key with the database.");
      } else {
        out.println(
            "the database is under the key in "
                + keyFile
                + " now: set CARELOOP_KEY to it before the next start, and back it up.");
      }
      try (var c = Careloop.openWithKey(url, fresh)) {
        c.administration()
            .audit(actor.actor(), Optional.empty(), "key.rotate", "database", c.clock().instant());
      }
      return 0;
    }
  }
}
