/** Contact points: phone numbers and email addresses from outside input. */
@NullMarked
package org.careloop.adapters.contact;

import org.jspecify.annotations.NullMarked;
