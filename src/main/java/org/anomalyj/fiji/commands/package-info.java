/**
 * SciJava commands for the same actions as the ImageJ 1.x entry points, for scripts and Java
 * callers that use a SciJava {@code CommandService} (typed inputs and outputs, no macro strings).
 *
 * <p>They deliberately have <b>no menu path</b>: the menu entries under
 * {@code Plugins > Anomaly Detection} come from {@code plugins.config} (ImageJ 1.x commands, which
 * also work in plain ImageJ 1.x and with the macro recorder), and a menu path here would show every
 * action twice in Fiji. scijava-common is a provided dependency: Fiji ships it, and plain ImageJ
 * 1.x simply does not see these classes.
 */
package org.anomalyj.fiji.commands;
