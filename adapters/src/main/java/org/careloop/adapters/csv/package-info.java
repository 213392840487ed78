/** The weekly CSV export practices send, read with Apache Commons CSV. */
@NullMarked
package org.careloop.adapters.csv;

import org.jspecify.annotations.NullMarked;
