package org.careloop.adapters.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Encrypts patient data in its columns with AES-256-GCM (the JDK's provider). Each value gets a
 * fresh 96-bit nonce, and the column's name is bound in as associated data, so a value copied into
 * another column does not decrypt. The key comes from configuration and never enters the database.
 */
public final class FieldCipher {
  /** What every encrypted value starts with. */
  public static final String PREFIX = "enc1:";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;
  private final SecretKeySpec indexKey;
  private final SecretKeySpec signingKey;
  // Signing keys of keys rotated away, still accepted for links already handed out.
  private final java.util.List<SecretKeySpec> retiredSigning =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private final String checkValue;

  public FieldCipher(byte[] key) {
    if (key.length != 32)
      throw new IllegalArgumentException(
          "the careloop key must be 32 bytes (base64 of 32 random bytes), got " + key.length);
    this.key = new SecretKeySpec(key.clone(), "AES");
    // Separate keys for separate uses, derived from the one configured key.
    this.indexKey = new SecretKeySpec(hmac(key, "careloop blind index v1"), "HmacSHA256");
    this.signingKey = new SecretKeySpec(hmac(key, "careloop link signing v1"), "HmacSHA256");
    this.checkValue =
        "kcv1:" + Base64.getEncoder().encodeToString(hmac(key, "careloop key check value v1"));
  }

  private static byte[] hmac(byte[] key, String data) {
    return hmac(new SecretKeySpec(key, "HmacSHA256"), data);
  }

  private static byte[] hmac(SecretKeySpec key, String data) {
    try {
      var mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(data.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /**
   * A keyed hash of a contact point (a blind index): equal inputs give equal outputs, so an
   * encrypted phone number or email can be found by its value without storing the value.
   */
  public String blindIndex(String kind, String normalizedValue) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(hmac(indexKey, kind + ":" + normalizedValue));
  }

  /** A signature of {@code data} for links careloop hands out (unsubscribe, tracked links). */
  public String sign(String data) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(java.util.Arrays.copyOf(hmac(signingKey, data), 16));
  }

  /**
   * Whether {@code signature} is this key's signature of {@code data} (or a retired key's, for a
   * link handed out before a rotation), in constant time.
   */
  public boolean verify(String data, String signature) {
    byte[] given = signature.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    boolean ok = java.security.MessageDigest.isEqual(sign(signingKey, data), given);
    for (var retired : retiredSigning)
      ok |= java.security.MessageDigest.isEqual(sign(retired, data), given);
    return ok;
  }

  private static byte[] sign(SecretKeySpec key, String data) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(java.util.Arrays.copyOf(hmac(key, data), 16))
        .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  /** This key's link-signing key (derived; not the key itself), to keep after a rotation. */
  public byte[] signingKeyBytes() {
    return signingKey.getEncoded();
  }

  /** Also accepts links signed with a retired key's signing key. */
  public void acceptRetiredSigning(byte[] retiredSigningKey) {
    retiredSigning.add(new SecretKeySpec(retiredSigningKey.clone(), "HmacSHA256"));
  }

  /**
   * The key's check value: a MAC of a fixed label under the key. The database keeps it to tell its
   * own key from any other; it reveals nothing of the key.
   */
  public String checkValue() {
    return checkValue;
  }

  /** A key from its base64 text. */
  public static FieldCipher fromBase64(String base64) {
    try {
      return new FieldCipher(Base64.getDecoder().decode(base64.trim()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the careloop key is not valid: " + e.getMessage(), e);
    }
  }

  public @Nullable String encrypt(String column, @Nullable String plain) {
    if (plain == null) return null;
    try {
      byte[] nonce = new byte[12];
      RANDOM.nextBytes(nonce);
      var cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
      cipher.updateAAD(column.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[nonce.length + sealed.length];
      System.arraycopy(nonce, 0, out, 0, nonce.length);
      System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
      return PREFIX + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("encryption failed", e);
    }
  }

  public Optional<String> decryptOptional(String column, @Nullable String stored) {
    return Optional.ofNullable(stored).map(s -> decrypt(column, s));
  }

  public String decrypt(String column, String stored) {
    if (!stored.startsWith(PREFIX)) {
      throw new IllegalStateException(
          "column " + column + " holds a value careloop did not encrypt");
    }
    try {
      byte[] in = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
      var cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, in, 0, 12));
      cipher.updateAAD(column.getBytes(StandardCharsets.UTF_8));
      return new String(cipher.doFinal(in, 12, in.length - 12), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "column "
              + column
              + " does not decrypt with this key: is CARELOOP_KEY the one the database was written with?",
          e);
    }
  }
}
