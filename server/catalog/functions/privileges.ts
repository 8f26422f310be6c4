/**
 * Privilege checks (has_*_privilege, pg_has_role). Freshet has one role that may do everything, so
 * each returns true for an object that exists, and raises PostgreSQL's error for one that does not.
 */
import { defineFunction, over, ANY_TYPE } from '../../functions/define.js';
import type { FunctionContext } from '../../functions/registry.js';
import type { Datum } from '../../types/datum.js';
import { T } from '../../types/sql-type.js';
import { SqlError, SQLSTATE } from '../../errors.js';
import { regclassIn, regnamespaceIn } from '../regnames.js';
import { searchPathOf } from './session-context.js';

type ObjectCheck = (object: Datum, ctx: FunctionContext) => void;

const relationExists: ObjectCheck = (object, ctx) => {
  if (typeof object === 'string') regclassIn(object, ctx.catalog, searchPathOf(ctx));
};
const schemaExists: ObjectCheck = (object, ctx) => {
  if (typeof object === 'string') regnamespaceIn(object, ctx.catalog);
};
const databaseExists: ObjectCheck = (object, ctx) => {
  if (typeof object === 'string' && object !== ctx.catalog.databaseName) {
    throw new SqlError(SQLSTATE.undefinedObject, `database "${object}" does not exist`);
  }
};
const anything: ObjectCheck = () => undefined;

/** (object, privilege) and (user, object, privilege), object by name or oid. */
function definePrivilegeCheck(name: string, check: ObjectCheck, objectArgs = 1): void {
  const objects = Array.from({ length: objectArgs }, () => ANY_TYPE);
  defineFunction(
    name,
    [
      over([...objects, T.text], T.bool, (args, ctx) => {
        check(args[0]!, ctx);
        return true;
      }),
      over([ANY_TYPE, ...objects, T.text], T.bool, (args, ctx) => {
        check(args[1]!, ctx);
        return true;
      }),
    ],
    { volatility: 'stable' },
  );
}

definePrivilegeCheck('has_table_privilege', relationExists);
definePrivilegeCheck('has_any_column_privilege', relationExists);
definePrivilegeCheck('has_column_privilege', relationExists, 2);
definePrivilegeCheck('has_sequence_privilege', relationExists);
definePrivilegeCheck('has_schema_privilege', schemaExists);
definePrivilegeCheck('has_database_privilege', databaseExists);
definePrivilegeCheck('has_function_privilege', anything);
definePrivilegeCheck('has_tablespace_privilege', anything);
definePrivilegeCheck('has_foreign_data_wrapper_privilege', anything);
definePrivilegeCheck('has_server_privilege', anything);
definePrivilegeCheck('has_language_privilege', anything);
definePrivilegeCheck('has_type_privilege', anything);
definePrivilegeCheck('pg_has_role', anything);
