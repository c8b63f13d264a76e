/**
 * The "ShoreTel TAPI/Wave" audio path: the recorder calls the PBX Route Point, which streams the
 * call's audio (winmm on Windows, SIP/RTP everywhere), written as mono.
 */
package org.callrec.capture.wave;
