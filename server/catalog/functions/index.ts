/**
 * Registers every catalog function (format_type, pg_get_*def, visibility and privilege checks,
 * session information, settings, comments, sizes, to_reg*) into builtinFunctions. Import this
 * module once for its side effects.
 */
import './comments.js';
import './deparse.js';
import './format-type.js';
import './names.js';
import './privileges.js';
import './session-info.js';
import './settings.js';
import './sizes.js';
import './visibility.js';
