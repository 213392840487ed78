package org.careloop.app;

import java.time.Instant;
import java.util.Optional;

/** One event of the audit trail: who did what to which record, naming fields, never values. */
public record AuditEvent(
    long id,
    Instant at,
    String actor,
    Optional<String> practiceId,
    String action,
    String subject,
    Optional<String> detail) {}
