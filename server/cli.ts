/**
 * The `freshet` command line: parses the role and flags, then starts that role. `standalone` (the
 * default) runs the SQL front end, JobManager and TaskManager in one process with state under the
 * data dir. Every flag can also come from the environment (FRESHET_PORT, FRESHET_HOST, ...).
 */
import { startStandalone } from './standalone.js';

export interface StandaloneOptions {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly maxMessageSize: number;
  readonly auth: 'trust' | 'password';
  readonly password: string | undefined;
  /** Milliseconds between checkpoints; 0: only on CHECKPOINT. */
  readonly checkpointIntervalMs: number;
  readonly checkpointRetain: number;
  /** Simulated slow disk for the checkpoint backend (tests). */
  readonly checkpointWriteDelayMs: number;
}

const USAGE = `usage: freshet [standalone] [options]

options (each also settable by the environment variable in brackets):
  --host HOST               address to listen on            [FRESHET_HOST, default 127.0.0.1]
  --port PORT               PostgreSQL wire port            [FRESHET_PORT, default 5454]
  --data-dir DIR            where state is kept             [FRESHET_DATA_DIR, default ./freshet-data]
  --max-message-size BYTES  largest protocol message        [FRESHET_MAX_MESSAGE_SIZE, default 67108864]
  --auth trust|password     client authentication           [FRESHET_AUTH, default trust]
  --password SECRET         the password for --auth password [FRESHET_PASSWORD]
  --checkpoint-interval T   time between checkpoints, e.g. 5s, 500ms, 0 = only on CHECKPOINT
                                                            [FRESHET_CHECKPOINT_INTERVAL, default 5s]
  --checkpoint-retain N     complete checkpoints kept       [FRESHET_CHECKPOINT_RETAIN, default 3]
  --checkpoint-write-delay T  simulate a slow disk under checkpoints (tests) [FRESHET_CHECKPOINT_WRITE_DELAY, default 0]
`;

function fail(message: string): never {
  process.stderr.write(`freshet: ${message}\n${USAGE}`);
  process.exit(2);
}

function parseIntFlag(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) fail(`${name} needs a non-negative integer, got "${text}"`);
  return n;
}

/** A duration: milliseconds as a bare integer or with `ms`, or seconds with `s`. */
function parseDurationFlag(name: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(text.trim());
  if (!m) fail(`${name} needs a duration such as 5s or 500ms, got "${text}"`);
  const n = Number(m[1]) * (m[2] === 's' ? 1000 : 1);
  return Math.round(n);
}

export function parseStandaloneOptions(args: readonly string[], env: NodeJS.ProcessEnv): StandaloneOptions {
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--help' || a === '-h') {
      process.stdout.write(USAGE);
      process.exit(0);
    }
    if (!a.startsWith('--')) fail(`unexpected argument "${a}"`);
    const eq = a.indexOf('=');
    if (eq > 0) flags.set(a.slice(2, eq), a.slice(eq + 1));
    else {
      const v = args[i + 1];
      if (v === undefined) fail(`${a} needs a value`);
      flags.set(a.slice(2), v);
      i++;
    }
  }
  const known = new Set(['host', 'port', 'data-dir', 'max-message-size', 'auth', 'password', 'checkpoint-interval', 'checkpoint-retain', 'checkpoint-write-delay']);
  for (const k of flags.keys()) if (!known.has(k)) fail(`unknown option --${k}`);
  const pick = (flag: string, envName: string, dflt: string): string => flags.get(flag) ?? env[envName] ?? dflt;
  const auth = pick('auth', 'FRESHET_AUTH', 'trust');
  if (auth !== 'trust' && auth !== 'password') fail(`--auth must be trust or password, got "${auth}"`);
  const password = flags.get('password') ?? env.FRESHET_PASSWORD;
  if (auth === 'password' && !password) fail('--auth password needs --password or FRESHET_PASSWORD');
  return {
    host: pick('host', 'FRESHET_HOST', '127.0.0.1'),
    port: parseIntFlag('--port', pick('port', 'FRESHET_PORT', '5454')),
    dataDir: pick('data-dir', 'FRESHET_DATA_DIR', './freshet-data'),
    maxMessageSize: parseIntFlag('--max-message-size', pick('max-message-size', 'FRESHET_MAX_MESSAGE_SIZE', String(64 * 1024 * 1024))),
    auth,
    password,
    checkpointIntervalMs: parseDurationFlag('--checkpoint-interval', pick('checkpoint-interval', 'FRESHET_CHECKPOINT_INTERVAL', '5s')),
    checkpointRetain: Math.max(1, parseIntFlag('--checkpoint-retain', pick('checkpoint-retain', 'FRESHET_CHECKPOINT_RETAIN', '3'))),
    checkpointWriteDelayMs: parseDurationFlag('--checkpoint-write-delay', pick('checkpoint-write-delay', 'FRESHET_CHECKPOINT_WRITE_DELAY', '0')),
  };
}

export async function main(argv: readonly string[]): Promise<void> {
  const role = argv[0] && !argv[0].startsWith('-') ? argv[0] : 'standalone';
  const rest = role === argv[0] ? argv.slice(1) : argv;
  switch (role) {
    case 'standalone':
      await startStandalone(parseStandaloneOptions(rest, process.env));
      return;
    case 'jobmanager':
    case 'taskmanager':
      fail(`the ${role} role is not built yet (issue 7, the cluster); run "freshet standalone"`);
    default:
      fail(`unknown role "${role}"`);
  }
}
