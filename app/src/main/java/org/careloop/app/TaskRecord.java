package org.careloop.app;

import java.time.Instant;
import java.util.Optional;

/**
 * Work for a person, as stored.
 *
 * @param ownerRole who owns it by its lane (coordinator, nurse, …); backupRole, who covers
 * @param escalatedTo the role told at once (worse symptoms), if any
 */
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
    Optional<String> milestoneKey,
    String ownerRole,
    String backupRole,
    Optional<String> escalatedTo) {}
