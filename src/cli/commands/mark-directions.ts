/** Who calls, as `ringback mark … phone --direction` takes it: apart, so that the command line can list it without loading the command. */
import type { Direction } from '../../domain/types.js';

export const MARK_DIRECTIONS: readonly Direction[] = ['interviewer-calls', 'candidate-calls', 'unknown'];
