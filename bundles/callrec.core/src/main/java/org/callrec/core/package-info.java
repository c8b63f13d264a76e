/**
 * The recorder's centre: decides which calls are recorded, activates the integration mode's bundle
 * set, holds the user directory and imports the original product's configuration file.
 */
package org.callrec.core;
