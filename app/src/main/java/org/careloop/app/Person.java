package org.careloop.app;

/**
 * Someone who signs in to the workspace: a coordinator, front desk, nurse, provider, manager or
 * administrator of one practice.
 *
 * @param outOfOffice while true their cases show, and are worked, under their backup
 * @param email where careloop tells them of the weekly care-gap report (managers), if anywhere
 */
public record Person(
    String id,
    String practiceId,
    String username,
    String displayName,
    String passwordHash,
    String role,
    boolean outOfOffice,
    java.util.Optional<String> email) {}
