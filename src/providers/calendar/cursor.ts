/**
 * Reading back a cursor an adapter handed out. Every calendar adapter keeps its cursor as a JSON
 * object; one it cannot read (none yet, another adapter's, an older format, damaged) is not an
 * error: the adapter answers with a full listing, as the port requires (types.ts).
 */
import type { Cursor } from './types.js';

/** The cursor's JSON object, or null when there is none or it is not a JSON object. */
export function cursorObject(cursor: Cursor | null): Record<string, unknown> | null {
  if (!cursor) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(cursor);
  } catch (error) {
    if (error instanceof SyntaxError) return null;
    throw error;
  }
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
}
