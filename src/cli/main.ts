import { Command } from 'commander';
import { backupCommand } from './backup-command.js';
import { createCredentialsCommand } from './credentials-command.js';
import { queryCommand } from './query-command.js';
import { restoreCommand } from './restore-command.js';
import { runCommand } from './run-command.js';
import { sandboxCommand } from './sandbox-command.js';
import { serveCommand } from './serve-command.js';
import { workerCommand } from './worker-command.js';

/** The `tributary` command line. */
export async function main(argv: string[]): Promise<void> {
  const program = new Command('tributary').description('Self-hosted data collection with the Experience Platform APIs').version('0.1.0');
  program
    .command('serve')
    .description('start the API server (embedded SQLite unless DATABASE_URL is set)')
    .option('-p, --port <port>', 'port to listen on (default 8080, or PORT)')
    .option('--host <host>', 'address to bind (default 127.0.0.1, or TRIBUTARY_HOST)')
    .option('-d, --data-dir <dir>', 'data directory (default ./.tributary, or TRIBUTARY_DATA_DIR)')
    .option('--tls-cert <file>', 'serve HTTPS with this PEM certificate (or TRIBUTARY_TLS_CERT); needs --tls-key')
    .option('--tls-key <file>', 'the PEM private key of --tls-cert (or TRIBUTARY_TLS_KEY)')
    .option('--sandbox', 'also start local PayPal, Stripe and Square stand-ins with generated data, offered in the console')
    .option('--no-worker', 'accept runs but run none here: `tributary worker` processes run them (needs DATABASE_URL)')
    .action(serveCommand);
  program
    .command('worker')
    .description('run dataflow runs from the PostgreSQL run queue, and nothing else (DATABASE_URL: the servers\' database; the data directory: the lake they share)')
    .option('-d, --data-dir <dir>', 'data directory holding the shared lake (default ./.tributary, or TRIBUTARY_DATA_DIR)')
    .action(workerCommand);
  const credentials = program.command('credentials').description('manage API clients');
  credentials
    .command('create')
    .description('create an API client for an IMS org (the org is created if new) and print its credentials')
    .requiredOption('--org <imsOrg>', 'IMS org id, e.g. ACME123@AdobeOrg')
    .option('--name <name>', 'client name')
    .option('-d, --data-dir <dir>', 'data directory (default ./.tributary, or TRIBUTARY_DATA_DIR)')
    .action(createCredentialsCommand);
  program
    .command('query')
    .description('run one read-only SQL statement over the datasets of a sandbox (each dataset is a table named by its adobe/pqs/table tag)')
    .argument('<sql>', 'the statement, e.g. "SELECT count(*) FROM paypal_target_dataset"')
    .option('--org <imsOrg>', "IMS org id (default: the data directory's only org)")
    .option('--sandbox <name>', 'sandbox name (default prod)')
    .option('-d, --data-dir <dir>', 'data directory (default ./.tributary, or TRIBUTARY_DATA_DIR)')
    .option('--format <format>', 'table, json or csv (default table)')
    .option('--json', 'the same as --format json')
    .option('--limit <rows>', 'most rows to print (default 10000)')
    .option('--timeout <seconds>', 'cancel the query after this long (default TRIBUTARY_QUERY_TIMEOUT_SECONDS, 30)')
    .action(queryCommand);
  program
    .command('run')
    .description('run a dataflow now on the running server, optionally waiting with a progress line')
    .argument('<flowId>', 'the flow to run')
    .option('--wait', 'wait for the run to finish, showing its progress; exit 1 if it fails')
    .option('--json', 'print the run as the runs API answers it, as JSON (progress stays on stderr)')
    .option('--url <url>', 'the server (default: the one serving this data directory, else http://127.0.0.1:PORT)')
    .option('-d, --data-dir <dir>', 'data directory (default ./.tributary, or TRIBUTARY_DATA_DIR)')
    .action(runCommand);
  program
    .command('backup')
    .description('write one archive (tar, mode 0600) of the metadata store and the lake\'s committed batches, consistent while the server runs')
    .option('-o, --output <file>', 'the archive to create (default ./tributary-backup-<UTC time>.tar); an existing file is refused')
    .option('--include-key', 'put the master key in the archive too, so it restores without the key (whoever reads it can open the connection secrets)')
    .option('--json', 'print what was backed up as JSON')
    .option('-d, --data-dir <dir>', 'data directory (default ./.tributary, or TRIBUTARY_DATA_DIR)')
    .action(backupCommand);
  program
    .command('restore')
    .description('rebuild a data directory (and its metadata store: SQLite in it, or DATABASE_URL) from a backup archive')
    .argument('<archive>', 'the archive `tributary backup` wrote')
    .option('-d, --data-dir <dir>', 'the directory to restore into, new or empty (default ./.tributary, or TRIBUTARY_DATA_DIR)')
    .option('--key-file <file>', "the old server's secret.key, when the archive holds sealed secrets but not the key")
    .option('--force', 'replace what the directory (or the PostgreSQL store) holds, once the archive has been checked')
    .option('--json', 'print what was restored as JSON')
    .action(restoreCommand);
  program
    .command('sandbox')
    .description('start local stand-ins for PayPal, Stripe and Square with generated accounts, and print the connection parameters for each (runs until Ctrl-C)')
    .argument('[provider]', 'paypal, stripe, square or all', 'all')
    .option('-p, --port <port>', 'the first stand-in listens on this port, the next ones on the ports after it (default: free ports)')
    .option('--seed <seed>', 'seeds the generated data and keys: the same seed gives the same account (default 1)')
    .option('--records <count>', 'account size: PayPal catalog products (and ten times as many transactions), Stripe charges, Square payments (default 300)')
    .option('--json', 'print the parameters as one JSON line (messages go to stderr)')
    .action(sandboxCommand);
  await program.parseAsync(argv);
}
