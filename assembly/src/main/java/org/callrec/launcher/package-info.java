/**
 * The launcher of the runnable jar: starts Felix with the embedded bundle set (mode bundles
 * dormant until the mode controller wakes them), stops it cleanly on Ctrl-C, runs the import-config command.
 */
package org.callrec.launcher;
