/** Intake: one input (FHIR, CSV export, vendor event) becomes one transaction of one practice. */
@NullMarked
package org.careloop.app.intake;

import org.jspecify.annotations.NullMarked;
