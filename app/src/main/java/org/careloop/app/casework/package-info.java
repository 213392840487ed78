/**
 * Casework: what a person does with a case (document, close, assign, book, escalate, send a one-off
 * message, take up a care gap for review).
 */
@NullMarked
package org.careloop.app.casework;

import org.jspecify.annotations.NullMarked;
