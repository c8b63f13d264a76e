/**
 * The administrator's side: the Felix Web Console's authentication (no default credentials) and
 * the callrec pages.
 */
package org.callrec.console;
