/** Email through an SMTP server with Jakarta Mail (Eclipse Angus). */
@NullMarked
package org.careloop.adapters.mail;

import org.jspecify.annotations.NullMarked;
