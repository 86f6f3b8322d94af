import { Command } from 'commander';
import { createCredentialsCommand } from './credentials-command.js';
import { serveCommand } from './serve-command.js';

/** The `tributary` command line. */
export async function main(argv: string[]): Promise<void> {
  const program = new Command('tributary').description('Self-hosted data collection with the Experience Platform APIs').version('0.1.0');
  program
    .command('serve')
    .description('start the API server (embedded SQLite unless DATABASE_URL is set)')
    .option('-p, --port <port>', 'port to listen on (default 8080, or PORT)')
    .option('--host <host>', 'address to bind (default 127.0.0.1, or TRIBUTARY_HOST)')
    .option('-d, --data-dir <dir>', 'data directory (default ./.tributary, or TRIBUTARY_DATA_DIR)')
    .action(serveCommand);
  const credentials = program.command('credentials').description('manage API clients');
  credentials
    .command('create')
    .description('create an API client for an IMS org (the org is created if new) and print its credentials')
    .requiredOption('--org <imsOrg>', 'IMS org id, e.g. ACME123@AdobeOrg')
    .option('--name <name>', 'client name')
    .option('-d, --data-dir <dir>', 'data directory (default ./.tributary, or TRIBUTARY_DATA_DIR)')
    .action(createCredentialsCommand);
  await program.parseAsync(argv);
}
