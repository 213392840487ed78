package org.careloop.app;

import java.time.Instant;
import java.util.Optional;

/** Work for a person, as stored. */
public record TaskRecord(
    String idempotencyKey,
    String planId,
    String patientId,
    String lane,
    String priority,
    String title,
    String detail,
    Instant respondBy,
    Instant createdAt,
    String status,
    Optional<String> milestoneKey) {}
