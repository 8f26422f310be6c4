/**
 * Loads every built-in scalar function family into `builtinFunctions`. Import this module for its
 * side effects (once, at start-up) before binding SQL.
 */
import './math.js';
import './string.js';
import './datetime.js';
import './to-char.js';
import './misc.js';

export { builtinFunctions } from './registry.js';
